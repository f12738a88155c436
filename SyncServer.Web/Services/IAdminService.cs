using SyncServer.Engine.Data;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Stats;

namespace SyncServer.Web.Services;

/// <summary>
/// The admin UI's one way into the engine: pages call this, never SQLite or engine internals. Implemented by
/// <see cref="AdminService"/>; tests substitute a fake.
/// </summary>
internal interface IAdminService
{
    /// <summary>The current schema; null only before the engine has one.</summary>
    CurrentSchema? CurrentSchema { get; }

    /// <summary>Raised (on any thread) after the current schema or the versions changed.</summary>
    event EventHandler? SchemaChanged;

    /// <summary>Cancelled when the server begins to shut down (the host's ApplicationStopping): pages stop saying "live".</summary>
    CancellationToken ServerStopping { get; }

    IReadOnlyList<EntitySummary> ListEntities();

    /// <summary>One page of an entity's objects, sorted in SQL (ID, last change) or by a property's value (docs/admin.md).</summary>
    /// <exception cref="KeyNotFoundException">No such entity, or no such property of it.</exception>
    /// <exception cref="ArgumentException">The property cannot be sorted by (a vector, bytes, Flex).</exception>
    /// <exception cref="PropertySortRefusedException">A property sort of an entity with more objects than the limit.</exception>
    ObjectPage QueryObjects(string entityName, int skip, int take, ObjectSort sort);

    DecodedObject? GetObject(string entityName, ulong id);

    /// <summary>The object as JSON (ObjectJson), for the detail view: characters unescaped (<see cref="Formatting.DisplayJson"/>).</summary>
    string ToJson(string entityName, DecodedObject decoded);

    /// <summary>Streams the export (docs/export.md) of one entity, or of everything when <paramref name="entityName"/> is null.</summary>
    /// <exception cref="KeyNotFoundException">No such entity in the current schema.</exception>
    Task WriteExportAsync(Stream output, string? entityName, CancellationToken cancellationToken);

    IReadOnlyList<SchemaVersion> ListVersions();

    string GetModelJson(int versionId);

    /// <summary>Validates a model JSON and compares it with the current version; changes nothing.</summary>
    ModelCheck CheckModel(string json);

    /// <summary>
    /// Adds the model as a new version (if new) without switching: the current version stays, and the new one does not
    /// accept clients until that is turned on. A model equal to a stored version returns that version.
    /// </summary>
    /// <exception cref="SchemaIncompatibleException">Not a compatible change; nothing changed.</exception>
    SchemaVersion AddModel(string json, string source);

    /// <summary>Adds the model as a new version (if new), makes it current and lets its clients in.</summary>
    /// <exception cref="SchemaIncompatibleException">Not a compatible change; nothing changed.</exception>
    CurrentSchema ApplyModel(string json, string source);

    /// <exception cref="SchemaIncompatibleException">The versions are not compatible; nothing changed.</exception>
    CurrentSchema SwitchTo(int versionId);

    SchemaVersion SetAcceptClients(int versionId, bool accept);

    ServerStatus GetStatus();

    /// <summary>The connected clients now (empty when the engine keeps no statistics).</summary>
    IReadOnlyList<ClientStats> ConnectedClients();

    /// <summary>Calls <paramref name="onTick"/> once a second (on a timer thread) until disposed.</summary>
    IDisposable SubscribeStatistics(Action<StatSnapshot> onTick);

    /// <summary>Every statistic the engine keeps, with kind, unit and description (empty when it keeps none).</summary>
    IReadOnlyList<StatMetric> StatisticMetrics();

    /// <summary>The series of one statistic at one resolution (docs/metrics.md); empty when the engine keeps no statistics.</summary>
    /// <exception cref="ArgumentException">There is no statistic of that name.</exception>
    StatSeries StatisticSeries(string metric, StatResolution resolution);

    /// <summary>Each entity's sync filter over the current schema (empty: no filters, every client sees every object).</summary>
    IReadOnlyList<EntityFilterInfo> ListFilters();

    /// <summary>Client <paramref name="clientNumber"/>'s filter variables and visible object count; null when no client has
    /// that number. Costs a query over the filtered entities: call it for the clients a page shows, not in a loop.</summary>
    ClientFilterInfo? ClientFilters(uint clientNumber);

    /// <summary>Whether the client can see the object, and why (docs/filters.md, "Explaining a decision"); an unknown
    /// client or entity gives the engine's message as <see cref="FilterExplainResult.Error"/>.</summary>
    FilterExplainResult ExplainFilter(uint clientNumber, string entityName, ulong objectId);

    /// <summary>Debug logging on (the engine's log level is Debug or more verbose) or off (Info).</summary>
    bool DebugLogging { get; set; }
}
