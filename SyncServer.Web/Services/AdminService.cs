using System.Diagnostics;
using System.Globalization;
using System.Net.NetworkInformation;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Engine.Data;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Stats;
using SyncServer.Web.Admin;
using SyncServer.Web.Formatting;
using SyncServer.Web.Hosting;

namespace SyncServer.Web.Services;

// Singleton, thread-safe: stateless over the engine, whose services state their own contracts.
/// <summary>The engine facade behind the admin pages and download endpoints.</summary>
internal sealed class AdminService(SyncEngine engine, AdminUiOptions options, TimeProvider time, IHostApplicationLifetime lifetime) : IAdminService
{
    public CurrentSchema? CurrentSchema => engine.Schema.Current;

    public CancellationToken ServerStopping => lifetime.ApplicationStopping;

    public event EventHandler? SchemaChanged
    {
        add => engine.Schema.Changed += value;
        remove => engine.Schema.Changed -= value;
    }

    public IReadOnlyList<EntitySummary> ListEntities()
    {
        var schema = CurrentSchema;
        if (schema is null)
        {
            return [];
        }

        var counts = engine.Objects.CountAll();
        return [.. schema.Model.Entities.Select(e => new EntitySummary(e, counts.GetValueOrDefault(e.Id.Uid)))];
    }

    public ObjectPage QueryObjects(string entityName, int skip, int take, ObjectSort sort)
    {
        ArgumentNullException.ThrowIfNull(sort);
        var entity = FindEntity(entityName);
        var objects = engine.Objects;
        var page = sort.Property is { } name
            ? objects.PageByProperty(entity, FindProperty(entity, name).Id.Id, skip, take, sort.Descending)
            : objects.Page(entity.Id.Uid, skip, take, sort.Order, sort.Descending);
        var count = objects.Count(entity.Id.Uid);
        return new ObjectPage([.. page.Select(o => Decode(entity, o))], count, objects.PropertySortRefusal(entity, count));
    }

    public DecodedObject? GetObject(string entityName, ulong id)
    {
        var entity = FindEntity(entityName);
        return engine.Objects.Get(entity.Id.Uid, id) is { } stored ? Decode(entity, stored) : null;
    }

    public string ToJson(string entityName, DecodedObject decoded) => DisplayJson.Object(FindEntity(entityName), decoded.Values);

    public async Task WriteExportAsync(Stream output, string? entityName, CancellationToken cancellationToken)
    {
        var schema = CurrentSchema ?? throw new InvalidOperationException("The server has no schema yet");
        IReadOnlyList<ModelEntity> entities = entityName is null ? schema.Model.Entities : [FindEntity(entityName)];
        using var snapshot = engine.Objects.OpenSnapshot();
        await ExportWriter.WriteAsync(output, schema, snapshot, entities, time.GetUtcNow(), cancellationToken);
    }

    public IReadOnlyList<SchemaVersion> ListVersions() => engine.Schema.List();

    public string GetModelJson(int versionId) => engine.Schema.GetModelJson(versionId);

    public ModelCheck CheckModel(string json)
    {
        try
        {
            return new ModelCheck([], engine.Schema.Preview(json));
        }
        catch (ModelException e)
        {
            return new ModelCheck([.. e.Errors.Select(error => error.ToString())], null);
        }
    }

    public SchemaVersion AddModel(string json, string source) => engine.Schema.Add(json, source);

    public CurrentSchema ApplyModel(string json, string source) => engine.Schema.AddAndSwitch(json, source);

    public CurrentSchema SwitchTo(int versionId) => engine.Schema.SwitchTo(versionId);

    public SchemaVersion SetAcceptClients(int versionId, bool accept) => engine.Schema.SetAcceptClients(versionId, accept);

    public ServerStatus GetStatus()
    {
        var process = Process.GetCurrentProcess();
        var directory = Path.GetFullPath(engine.Options.DataDirectory);
        var started = engine.StartedAt;
        return new ServerStatus(
            ServerInfo.Version,
            started,
            started is null ? TimeSpan.Zero : time.GetUtcNow() - started.Value,
            directory,
            engine.DatabaseSizeBytes,
            engine.DatabaseMaxSizeBytes,
            FreeDisk(directory),
            process.WorkingSet64,
            Environment.ProcessorCount,
            LoadAverage(),
            Interfaces(),
            [options.SyncUrl, options.AdminUrl],
            CurrentSchema?.Version.Id);
    }

    public IReadOnlyList<ClientStats> ConnectedClients() => engine.Statistics.Clients;

    public IDisposable SubscribeStatistics(Action<StatSnapshot> onTick) =>
        engine.Statistics.Subscribe(onTick);

    public IReadOnlyList<StatMetric> StatisticMetrics() => engine.Statistics.Metrics;

    public StatSeries StatisticSeries(string metric, StatResolution resolution) =>
        engine.Statistics.Get(metric, resolution);

    public IReadOnlyList<EntityFilterInfo> ListFilters() => engine.Filters.List();

    public ClientFilterInfo? ClientFilters(uint clientNumber) => engine.Filters.Client(clientNumber);

    public FilterExplainResult ExplainFilter(uint clientNumber, string entityName, ulong objectId)
    {
        try
        {
            return FilterExplainResult.Of(engine.Filters.Explain(clientNumber, entityName, objectId));
        }
        catch (ArgumentException e)
        {
            // The engine's sentence without the " (Parameter 'entityName')" that ArgumentException appends.
            var suffix = e.ParamName is null ? "" : $" (Parameter '{e.ParamName}')";
            return FilterExplainResult.Refused(e.Message.EndsWith(suffix, StringComparison.Ordinal) ? e.Message[..^suffix.Length] : e.Message);
        }
    }

    public bool DebugLogging
    {
        get => engine.LogLevel.Level <= LogLevel.Debug;
        set => engine.LogLevel.Level = value ? LogLevel.Debug : LogLevel.Information;
    }

    private ModelEntity FindEntity(string name) =>
        CurrentSchema?.Model.FindEntity(name) ?? throw new KeyNotFoundException($"The current schema has no entity \"{name}\"");

    private static ModelProperty FindProperty(ModelEntity entity, string name) =>
        entity.FindProperty(name) ?? throw new KeyNotFoundException($"Entity \"{entity.Name}\" has no property \"{name}\"");

    private static DecodedObject Decode(ModelEntity entity, StoredObject stored)
    {
        try
        {
            return new DecodedObject(stored.Id, stored.Position, ObjectCodec.Decode(entity, stored.Data), stored.Data.Length);
        }
        catch (ObjectFormatException e)
        {
            return new DecodedObject(stored.Id, stored.Position, new Dictionary<uint, object?>(), stored.Data.Length, e.Message);
        }
    }

    private static long? FreeDisk(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static List<NetworkInterfaceInfo> Interfaces() =>
    [
        .. NetworkInterface.GetAllNetworkInterfaces().Select(n => new NetworkInterfaceInfo(
            n.Name,
            n.OperationalStatus.ToString(),
            [.. n.GetIPProperties().UnicastAddresses.Select(a => a.Address.ToString())])),
    ];
}
