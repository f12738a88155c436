using System.Text.Json.Nodes;

namespace SyncServer.Web.Tests;

/// <summary>Schema versions across restarts of the real server on one data directory.</summary>
public sealed class SchemaVersionRestartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Restarting_with_the_same_model_adds_no_version()
    {
        await RunAsync("--model", TestPaths.ExampleModel);

        var second = await RunAsync("--model", TestPaths.ExampleModel);

        Assert.DoesNotContain(second, line => line.Contains("Inserted new schema version", StringComparison.Ordinal));
        Assert.Contains(second, line => line.EndsWith("[INFO ] [SySvAp] Model file objectbox-model.json matches the current schema version ID 1", StringComparison.Ordinal));
        Assert.Contains(second, line => line.EndsWith("Starting the server with a schema version ID 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restarting_with_a_compatible_change_adds_and_switches_to_the_next_version()
    {
        await RunAsync("--model", TestPaths.ExampleModel);
        var changed = WriteModel("changed.json", AddProperty);

        var second = await RunAsync("--model", changed);

        Assert.Contains(second, line => line.EndsWith("[INFO ] [SchVer] Inserted new schema version ID 2", StringComparison.Ordinal));
        Assert.Contains(second, line => line.EndsWith("[INFO ] [SySvAp] Switching schema version ID to 2", StringComparison.Ordinal));
        Assert.Contains(second, line => line.EndsWith("Starting the server with a schema version ID 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restarting_with_the_model_of_an_earlier_version_keeps_the_current_version_and_says_why()
    {
        await RunAsync("--model", TestPaths.ExampleModel);
        await RunAsync("--model", WriteModel("changed.json", AddProperty)); // version 2 current, as if chosen in the UI

        var third = await RunAsync("--model", TestPaths.ExampleModel);

        Assert.DoesNotContain(third, line => line.Contains("Switching schema version", StringComparison.Ordinal));
        Assert.DoesNotContain(third, line => line.Contains("Inserted", StringComparison.Ordinal));
        Assert.Contains(third, line => line.EndsWith(
            "[INFO ] [SySvAp] Model file objectbox-model.json ignored: it is the stored schema version ID 1, not the current schema "
            + "version ID 2; the current version stands (switch versions in the admin UI)", StringComparison.Ordinal));
        Assert.Contains(third, line => line.EndsWith("Starting the server with a schema version ID 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restarting_with_an_incompatible_change_is_refused_and_the_current_version_stays()
    {
        await RunAsync("--model", TestPaths.ExampleModel);
        var incompatible = WriteModel("incompatible.json", ChangePropertyType);

        await using (var refused = ServerProcess.Start(_dir.Path, "--model", incompatible, "--unsecured-no-authentication"))
        {
            Assert.Equal(2, await refused.WaitForExitAsync());
            Assert.Contains(refused.Output, line => line.Contains("[ERROR]", StringComparison.Ordinal) && line.Contains("incompatible", StringComparison.Ordinal));
            Assert.Contains(refused.Output, line => line.Contains("[ERROR]", StringComparison.Ordinal) && line.Contains("type", StringComparison.Ordinal) && line.Contains("title", StringComparison.Ordinal));
        }

        var after = await RunAsync();
        Assert.Contains(after, line => line.EndsWith("Starting the server with a schema version ID 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restarting_without_a_model_uses_the_current_version_from_the_database()
    {
        await RunAsync("--model", TestPaths.ExampleModel);
        await RunAsync("--model", WriteModel("changed.json", AddProperty));

        var third = await RunAsync();

        Assert.DoesNotContain(third, line => line.Contains("Inserted", StringComparison.Ordinal));
        Assert.Contains(third, line => line.EndsWith("Starting the server with a schema version ID 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_model_and_without_a_stored_schema_the_server_explains_what_to_pass()
    {
        await using var server = ServerProcess.Start(_dir.Path, "--unsecured-no-authentication");

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Contains(server.Output, line => line.Contains("has no schema and no model file was given", StringComparison.Ordinal));
        Assert.Contains("--model", server.StandardError, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<string>> RunAsync(params string[] arguments)
    {
        await using var server = await ServerProcess.StartAndWaitAsync(_dir.Path, [.. arguments, "--unsecured-no-authentication"]);
        Assert.Equal(0, await server.StopAsync());
        return server.Output;
    }

    private string WriteModel(string name, Action<JsonObject> change)
    {
        var model = JsonNode.Parse(File.ReadAllText(TestPaths.ExampleModel))!.AsObject();
        change(model);
        var path = _dir.Combine(name);
        File.WriteAllText(path, model.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private static JsonObject Task(JsonObject model) =>
        model["entities"]!.AsArray().Select(e => e!.AsObject()).First(e => (string?)e["name"] == "Task");

    // A new property with the next ID and a fresh UID: a compatible change.
    private static void AddProperty(JsonObject model)
    {
        var task = Task(model);
        var properties = task["properties"]!.AsArray();
        var nextId = properties.Max(p => int.Parse(p!["id"]!.GetValue<string>().Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)) + 1;
        var id = $"{nextId}:7315546452397221001";
        properties.Add(new JsonObject { ["id"] = id, ["name"] = "estimateMinutes", ["type"] = 5 });
        task["lastPropertyId"] = id;
    }

    // Same UID, different type: existing data would be misread, so it is incompatible.
    private static void ChangePropertyType(JsonObject model)
    {
        var title = Task(model)["properties"]!.AsArray().First(p => (string?)p!["name"] == "title")!;
        title["type"] = 6;
    }
}
