using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Core.Model;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Tests.Schema;

/// <summary>SchemaVersions against a real SQLite database in a fresh directory.</summary>
public sealed class SchemaVersionsTests : IDisposable
{
    private static readonly string ExampleJson = File.ReadAllText(Path.Combine(FindRoot(), "examples", "objectbox-model.json"));
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "syncserver-schema-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero));
    private SyncDatabase _database;
    private SchemaVersions _versions;

    public SchemaVersionsTests()
    {
        (_database, _versions) = Open();
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_new_database_has_no_versions_and_no_current_schema()
    {
        Assert.Null(_versions.Current);
        Assert.Empty(_versions.List());
    }

    [Fact]
    public void The_first_model_becomes_version_1_current_and_accepting_clients_with_its_json_kept_verbatim()
    {
        var current = _versions.AddAndSwitch(ExampleJson, "objectbox-model.json");

        var version = Assert.Single(_versions.List());
        Assert.Equal(1, version.Id);
        Assert.Equal("objectbox-model.json", version.Source);
        Assert.Equal(_time.GetUtcNow(), version.Created);
        Assert.True(version.AcceptClients);
        Assert.Equal(ModelJsonReader.Read(ExampleJson).Hash, version.Hash);
        Assert.Equal(version, current.Version);
        Assert.Equal(ExampleJson, _versions.GetModelJson(1));
        Assert.Equal(["Project", "Task", "Tag"], current.Model.Entities.Select(e => e.Name));
    }

    [Fact]
    public void Adding_a_model_equal_to_a_stored_version_adds_nothing_even_when_reformatted()
    {
        _versions.AddAndSwitch(ExampleJson, "a.json");
        var reformatted = JsonNode.Parse(ExampleJson)!.ToJsonString();

        var again = _versions.Add(reformatted, "b.json");

        Assert.Equal(1, again.Id);
        Assert.Single(_versions.List());
    }

    [Fact]
    public void A_compatible_change_becomes_version_2_and_the_current_version_survives_a_reopen()
    {
        _versions.AddAndSwitch(ExampleJson, "v1.json");
        _time.Advance(TimeSpan.FromMinutes(5));

        _versions.AddAndSwitch(WithNewProperty(), "v2.json");
        _database.Dispose();
        (_database, _versions) = Open();

        Assert.Equal(2, _versions.Current!.Version.Id);
        Assert.NotNull(_versions.Current.Model.FindEntity("Task")!.FindProperty("estimateMinutes"));
        Assert.Equal([1, 2], _versions.List().Select(v => v.Id));
        Assert.Equal(_time.GetUtcNow(), _versions.List()[1].Created);
    }

    [Fact]
    public void An_incompatible_model_is_refused_with_its_conflicts_and_changes_nothing()
    {
        _versions.AddAndSwitch(ExampleJson, "v1.json");
        var json = JsonNode.Parse(ExampleJson)!;
        Property(json, "Task", "title")["type"] = 6;

        var error = Assert.Throws<SchemaIncompatibleException>(() => _versions.Add(json.ToJsonString(), "bad.json"));

        Assert.Contains("schema version ID 1 stays current", error.Message, StringComparison.Ordinal);
        var conflict = Assert.Single(error.Conflicts);
        Assert.Contains("title", conflict.Description, StringComparison.Ordinal);
        Assert.Single(_versions.List());
        Assert.Equal(1, _versions.Current!.Version.Id);
    }

    [Fact]
    public void An_invalid_model_is_refused_before_anything_is_written()
    {
        var error = Assert.Throws<ModelException>(() => _versions.Add("{ \"entities\": 5 }", "bad.json"));

        Assert.NotEmpty(error.Errors);
        Assert.Empty(_versions.List());
    }

    [Fact]
    public void Switching_back_to_an_earlier_version_works_and_is_persisted()
    {
        _versions.AddAndSwitch(ExampleJson, "v1.json");
        _versions.AddAndSwitch(WithNewProperty(), "v2.json");

        var back = _versions.SwitchTo(1);
        _database.Dispose();
        (_database, _versions) = Open();

        Assert.Equal(1, back.Version.Id);
        Assert.Equal(1, _versions.Current!.Version.Id);
        Assert.Null(_versions.Current.Model.FindEntity("Task")!.FindProperty("estimateMinutes"));
    }

    [Fact]
    public void Accept_clients_can_be_turned_off_and_on_per_version()
    {
        _versions.AddAndSwitch(ExampleJson, "v1.json");

        _versions.SetAcceptClients(1, false);
        var off = _versions.Current!.Version.AcceptClients;
        _versions.SetAcceptClients(1, true);

        Assert.False(off);
        Assert.True(_versions.Current!.Version.AcceptClients);
        Assert.Throws<KeyNotFoundException>(() => _versions.SetAcceptClients(42, true));
        Assert.Throws<KeyNotFoundException>(() => _versions.GetModelJson(42));
    }

    [Fact]
    public void Changed_is_raised_for_add_switch_and_accept_clients()
    {
        var raised = 0;
        _versions.Changed += (_, _) => raised++;

        _versions.AddAndSwitch(ExampleJson, "v1.json");

        Assert.Equal(3, raised); // inserted, switched, acceptClients := true
    }

    private (SyncDatabase, SchemaVersions) Open()
    {
        var database = SyncDatabase.Open(new SyncDatabaseOptions { DataDirectory = _dir }, NullLoggerFactory.Instance);
        return (database, new SchemaVersions(database, NullLoggerFactory.Instance, _time));
    }

    private static string WithNewProperty()
    {
        var json = JsonNode.Parse(ExampleJson)!;
        var task = Entity(json, "Task");
        var properties = task["properties"]!.AsArray();
        var nextId = properties.Max(p => int.Parse(p!["id"]!.GetValue<string>().Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)) + 1;
        var id = $"{nextId}:7315546452397221001";
        properties.Add(new JsonObject { ["id"] = id, ["name"] = "estimateMinutes", ["type"] = 5 });
        task["lastPropertyId"] = id;
        return json.ToJsonString();
    }

    private static JsonObject Entity(JsonNode model, string name) =>
        model["entities"]!.AsArray().Select(e => e!.AsObject()).First(e => (string?)e["name"] == name);

    private static JsonObject Property(JsonNode model, string entity, string name) =>
        Entity(model, entity)["properties"]!.AsArray().Select(p => p!.AsObject()).First(p => (string?)p["name"] == name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SyncServer.Web.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SyncServer.Web.sln not found");
    }
}
