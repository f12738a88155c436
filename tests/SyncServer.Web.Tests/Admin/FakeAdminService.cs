using SyncServer.Core.Model;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Stats;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The admin facade over the example model, with the real model reader and diff, and no database.</summary>
internal sealed class FakeAdminService : IAdminService
{
    /// <param name="statistics">A real SyncStatistics whose series and ticks the statistics methods pass on; without it
    /// they are empty and the ticks come only from calling <see cref="Subscriber"/>.</param>
    public FakeAdminService(SyncStatistics? statistics = null)
    {
        Statistics = statistics;
        ExampleJson = File.ReadAllText(TestPaths.ExampleModel);
        var model = ModelJsonReader.Read(ExampleJson);
        CurrentSchema = new CurrentSchema(new SchemaVersion(1, DateTimeOffset.UnixEpoch, "objectbox-model.json", model.Hash, true), model);
        Versions.Add(CurrentSchema.Version);
    }

    /// <summary>The stored versions (version 1, the example model, to begin with); a test may add more.</summary>
    public List<SchemaVersion> Versions { get; } = [];

    /// <summary>Every SwitchTo and SetAcceptClients call, in order ("switch 2", "accept 1 False").</summary>
    public List<string> SchemaCalls { get; } = [];

    public string ExampleJson { get; }

    public CurrentSchema? CurrentSchema { get; private set; }

    public List<string> Applied { get; } = [];

    public event EventHandler? SchemaChanged;

    /// <summary>Cancel it to play a server shutting down.</summary>
    public CancellationTokenSource Stopping { get; } = new();

    public CancellationToken ServerStopping => Stopping.Token;

    public IReadOnlyList<EntitySummary> ListEntities() => [.. CurrentSchema!.Model.Entities.Select(e => new EntitySummary(e, 0))];

    /// <summary>Every QueryObjects call, in order.</summary>
    public List<ObjectSort> ObjectQueries { get; } = [];

    /// <summary>What QueryObjects answers (an empty page by default).</summary>
    public Func<ObjectSort, ObjectPage> ObjectPages { get; set; } = _ => new([], 0);

    /// <summary>The skip and take of every QueryObjects call, in order.</summary>
    public List<(int Skip, int Take)> ObjectRanges { get; } = [];

    public ObjectPage QueryObjects(string entityName, int skip, int take, ObjectSort sort)
    {
        ObjectQueries.Add(sort);
        ObjectRanges.Add((skip, take));
        return ObjectPages(sort);
    }

    /// <summary>What GetObject answers (none by default).</summary>
    public Func<string, ulong, DecodedObject?> Objects { get; set; } = (_, _) => null;

    public DecodedObject? GetObject(string entityName, ulong id) => Objects(entityName, id);

    public string ToJson(string entityName, DecodedObject decoded) => "{}";

    public Task WriteExportAsync(Stream output, string? entityName, CancellationToken cancellationToken) => Task.CompletedTask;

    public IReadOnlyList<SchemaVersion> ListVersions() => [.. Versions];

    public string GetModelJson(int versionId) => ExampleJson;

    public ModelCheck CheckModel(string json)
    {
        try
        {
            var model = ModelJsonReader.Read(json);
            var existing = model.Hash == CurrentSchema!.Version.Hash ? CurrentSchema.Version : null;
            return new ModelCheck([], new SchemaPreview(model, SchemaDiff.Compare(CurrentSchema.Model, model), existing));
        }
        catch (ModelException e)
        {
            return new ModelCheck([.. e.Errors.Select(error => error.ToString())], null);
        }
    }

    public CurrentSchema ApplyModel(string json, string source)
    {
        Applied.Add(source);
        var model = ModelJsonReader.Read(json);
        CurrentSchema = new CurrentSchema(new SchemaVersion(2, DateTimeOffset.UnixEpoch, source, model.Hash, true), model);
        Versions.Add(CurrentSchema.Version);
        SchemaChanged?.Invoke(this, EventArgs.Empty);
        return CurrentSchema;
    }

    public SchemaVersion AddModel(string json, string source)
    {
        Applied.Add("add " + source);
        var model = ModelJsonReader.Read(json);
        var version = new SchemaVersion(Versions.Max(v => v.Id) + 1, DateTimeOffset.UnixEpoch, source, model.Hash, false);
        Versions.Add(version);
        SchemaChanged?.Invoke(this, EventArgs.Empty);
        return version;
    }

    /// <summary>Makes a version of <see cref="Versions"/> current (its model stays the example model's).</summary>
    public CurrentSchema SwitchTo(int versionId)
    {
        SchemaCalls.Add($"switch {versionId}");
        CurrentSchema = CurrentSchema! with { Version = Versions.Single(v => v.Id == versionId) };
        SchemaChanged?.Invoke(this, EventArgs.Empty);
        return CurrentSchema;
    }

    public SchemaVersion SetAcceptClients(int versionId, bool accept)
    {
        SchemaCalls.Add($"accept {versionId} {accept}");
        var index = Versions.FindIndex(v => v.Id == versionId);
        var version = Versions[index] = Versions[index] with { AcceptClients = accept };
        if (CurrentSchema!.Version.Id == versionId)
        {
            CurrentSchema = CurrentSchema with { Version = version };
        }

        SchemaChanged?.Invoke(this, EventArgs.Empty);
        return version;
    }

    /// <summary>What GetStatus answers; a test may replace it.</summary>
    public ServerStatus Status { get; set; } = new(
        "0.1.0", DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(61), "/data", 4096, null, 1 << 30, 50 << 20, 2, 0.5,
        [new NetworkInterfaceInfo("lo", "Up", ["127.0.0.1"])], ["ws://0.0.0.0:9999", "http://127.0.0.1:9980"], 1);

    /// <summary>How often GetStatus was called.</summary>
    public int StatusReads { get; private set; }

    public ServerStatus GetStatus()
    {
        StatusReads++;
        return Status;
    }

    public List<ClientStats> Clients { get; } = [];

    public Action<StatSnapshot>? Subscriber { get; private set; }

    public IReadOnlyList<ClientStats> ConnectedClients() => [.. Clients];

    public IDisposable SubscribeStatistics(Action<StatSnapshot> onTick)
    {
        Subscriber = onTick;
        var real = Statistics?.Subscribe(onTick);
        return new Unsubscribe(() =>
        {
            Subscriber = null;
            real?.Dispose();
        });
    }

    public SyncStatistics? Statistics { get; }

    public IReadOnlyList<StatMetric> StatisticMetrics() => Statistics?.Metrics ?? [];

    public StatSeries StatisticSeries(string metric, StatResolution resolution) =>
        Statistics?.Get(metric, resolution) ?? new StatSeries(metric, resolution, [], []);

    public bool DebugLogging { get; set; }

    /// <summary>What ListFilters answers (no filters by default).</summary>
    public List<EntityFilterInfo> Filters { get; } = [];

    public IReadOnlyList<EntityFilterInfo> ListFilters() => [.. Filters];

    /// <summary>What ClientFilters answers per client number (null for a number not in it); the page reads it off its
    /// render thread, so change it under <see cref="ClientFilterReads"/>' lock.</summary>
    public Dictionary<uint, ClientFilterInfo> ClientFilterInfos { get; } = [];

    /// <summary>Every ClientFilters call's client number, in order (lock it to read while a page may be reading).</summary>
    public List<uint> ClientFilterReads { get; } = [];

    public ClientFilterInfo? ClientFilters(uint clientNumber)
    {
        lock (ClientFilterReads)
        {
            ClientFilterReads.Add(clientNumber);
            return ClientFilterInfos.GetValueOrDefault(clientNumber);
        }
    }

    /// <summary>What ExplainFilter answers (an unknown client, in the engine's words, by default).</summary>
    public Func<uint, string, ulong, FilterExplainResult> Explanations { get; set; } =
        (client, _, _) => FilterExplainResult.Refused($"No client has number {client}");

    /// <summary>Every ExplainFilter call ("7 Task 42"), in order.</summary>
    public List<string> ExplainCalls { get; } = [];

    public FilterExplainResult ExplainFilter(uint clientNumber, string entityName, ulong objectId)
    {
        ExplainCalls.Add($"{clientNumber} {entityName} {objectId}");
        return Explanations(clientNumber, entityName, objectId);
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
