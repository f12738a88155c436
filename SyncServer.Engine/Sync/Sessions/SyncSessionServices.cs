using SyncServer.Engine.Auth;

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
    SnapshotReader Snapshots,
    TimeProvider Time);
