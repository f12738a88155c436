using SyncServer.Core.Protocol;

namespace SyncServer.Client;

/// <summary>Settings of a <see cref="SyncClient"/>; checked by its constructor.</summary>
public sealed class SyncClientOptions
{
    /// <summary>The server's sync URLs (<c>ws://</c> or <c>wss://</c>), tried in turn on every reconnect.</summary>
    public IReadOnlyList<Uri> ServerUrls { get; init; } = [];

    public SyncCredentials Credentials { get; init; } = SyncCredentials.None;

    /// <summary>The app's objectbox-model.json text; its hash must match a schema version the server accepts.</summary>
    public required string ModelJson { get; init; }

    /// <summary>Folder of the local database (created if missing). One client per folder.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>What the server sends after login (see docs/protocol.md); <see cref="RequestUpdatesMode.Auto"/> by default.</summary>
    public RequestUpdatesMode RequestUpdates { get; init; } = RequestUpdatesMode.Auto;

    /// <summary>How long a connection attempt (TCP + WebSocket handshake) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A HEARTBEAT is sent when nothing was sent for this long.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>The connection is dropped (and re-established) when nothing arrived for this long.</summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Reconnect delays, one per failed attempt in a row; the last one repeats.</summary>
    public IReadOnlyList<TimeSpan> ReconnectDelays { get; init; } =
        [.. new[] { 0.5, 1, 2, 4, 8, 15, 30, 60 }.Select(TimeSpan.FromSeconds)];

    /// <summary>At most this many TXs are sent before their ACKs arrive.</summary>
    public int MaxTxsInFlight { get; init; } = 1000;
}
