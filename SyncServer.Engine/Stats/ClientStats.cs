namespace SyncServer.Engine.Stats;

/// <summary>A connected, logged-in client as the sessions see it (<see cref="SyncStatistics.Clients"/>).</summary>
/// <param name="ClientId">The persistent client ID from LOGIN, in upper-case hex.</param>
/// <param name="ClientNumber">Its client number (docs/ids.md).</param>
/// <param name="RemoteAddress">IP address and port the connection came from.</param>
/// <param name="LoginTime">When this session's login succeeded.</param>
/// <param name="SchemaVersion">The schema version ID the client is served in.</param>
/// <param name="Position">The txlog position the client has: what it confirmed (TXS_APPLIED), moved on over TXs the
/// server skipped for it (its own) once it confirmed everything sent before them.</param>
/// <param name="SentPosition">The position the server has sent (or skipped) the client up to.</param>
/// <param name="TxsBehind">The txlog head minus <paramref name="Position"/>.</param>
/// <param name="LastError">The last ERROR the server sent this client number, or why its connection failed, also from an
/// earlier session (null: none since the server started).</param>
public sealed record ClientStats(
    string ClientId,
    uint ClientNumber,
    string RemoteAddress,
    DateTimeOffset LoginTime,
    int SchemaVersion,
    ulong Position,
    ulong SentPosition,
    ulong TxsBehind,
    long BytesIn,
    long BytesOut,
    long MessagesIn,
    long MessagesOut,
    string? LastError);
