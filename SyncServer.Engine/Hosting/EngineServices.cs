using SyncServer.Engine.Data;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Storage;
using SyncServer.Engine.Sync;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Engine.Hosting;

// Immutable, built once by SyncEngine.Start and dropped by Stop; each member states its own thread safety.
/// <summary>
/// The engine's services while it runs: the storage, the schema versions, the client registry, the TX feed and its one
/// writer, the full-sync snapshot reader, the admin object browser and the live fan-out. <see cref="SyncEngine.Start"/>
/// builds them in this order and <see cref="SyncEngine.StopAsync"/> stops them in reverse (fan-out, writer, clients,
/// storage); nothing else creates or disposes them.
/// </summary>
internal sealed record EngineServices(
    ISyncStorage Storage,
    SchemaVersions Schema,
    ClientRegistry Clients,
    TxFeed Feed,
    TxWriter Writer,
    SnapshotReader Snapshots,
    ObjectBrowser Objects,
    LiveFanOut FanOut,
    Filters.SyncFilters Filters,
    Filters.FilterInspector Inspector);
