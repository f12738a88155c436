using SyncServer.Engine.Auth;
using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Sync.Sessions;

/// <summary>What every session uses; one instance shared by all sessions (each member states its own thread safety).</summary>
internal sealed record SyncSessionServices(
    SyncOptions Options,
    ClientAuthentication Authentication,
    SessionRegistry Registry,
    ClientSchemas Schemas,
    ClientRegistry Clients,
    TxWriter Writer,
    TxFeed Feed,
    LiveFanOut FanOut,
    SnapshotReader Snapshots,
    Filters.SyncFilters Filters,
    ReceiveBudget ReceiveBudget,
    SyncStatistics Statistics,
    TimeProvider Time);
