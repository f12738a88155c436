using System.ComponentModel.DataAnnotations;

namespace SyncServer.Engine.Sync.Sessions;

// To add a setting (each place is read by the server's settings loader, SyncServer.Web/Cli/SyncSettingsReader.cs):
// 1. Default: the property's initializer here, and nowhere else (appsettings.json has no Sync section).
// 2. Range: a [Range] attribute on the property; it is required (the reader refuses a property without one) and is what
//    both the start-up check and the error message ("from 1 to 100,000") use. Types: int and TimeSpan.
// 3. Config-file key: the property name in camelCase inside "sync" in sync-server-config.json (sync.maxMessageBytes).
// 4. Environment variable: Sync__ and the property name (Sync__MaxMessageBytes); it overrides the config file.
// 5. Docs: a row in README.md's "Session limits" table (key, environment, default, range, meaning; a test checks the
//    row against this class), and docs/protocol.md or docs/auth.md where the behaviour is described.
// 6. Test: a test that the setting changes behaviour; SyncSettingsReaderTests covers parsing and the range of every
//    property by itself.

/// <summary>
/// Limits and timings of client sessions (docs/protocol.md). The server reads them from the config file's <c>sync</c>
/// object and <c>Sync__X</c> environment variables and validates them before anything is opened; the engine binds them
/// as the options section "Sync" and validates them again at start-up.
/// </summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>The largest message a client may send; larger ones are refused with ERROR MessageTooLarge.</summary>
    [Range(1024, 1024 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>The largest message a client may send before its login succeeded (a LOGIN is a few hundred bytes plus its
    /// credentials); larger ones are refused with ERROR MessageTooLarge. Capped at <see cref="MaxMessageBytes"/>.</summary>
    [Range(1024, 1024 * 1024 * 1024)]
    public int MaxMessageBytesBeforeLogin { get; set; } = 64 * 1024;

    /// <summary>A connection without a successful LOGIN this long after it opened is closed with ERROR LoginTimeout
    /// (HEARTBEAT does not extend it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Open sync connections (logged in or not); more are refused with HTTP 503 before the WebSocket upgrade.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>Bytes all sessions together may hold for messages still arriving; a message that would need more is
    /// refused with ERROR ServerBusy (the client reconnects and sends it again).</summary>
    [Range(1024 * 1024, int.MaxValue)]
    public int MaxReceiveBufferBytes { get; set; } = 256 * 1024 * 1024;

    /// <summary>The most operations one APPLY_TX may hold (ERROR TooManyOperations).</summary>
    [Range(1, 10_000_000)]
    public int MaxOpsPerTx { get; set; } = 10_000;

    /// <summary>A client that sends nothing for this long is closed with ERROR HeartbeatTimeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>The most TXs in one TXS message (catch-up and live).</summary>
    [Range(1, 100_000)]
    public int BatchMaxTxs { get; set; } = 256;

    /// <summary>A TXS or FULL_SYNC_DATA message stops growing at about this many bytes (one bigger TX still goes alone).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int BatchMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>Messages queued for one client's socket; when it is full the session waits (only that client slows down).</summary>
    [Range(1, 100_000)]
    public int SendQueueCapacity { get; set; } = 64;

    /// <summary>Bytes queued for one client's socket; beyond them the session waits as for <see cref="SendQueueCapacity"/>
    /// (one larger message still goes when the queue is empty).</summary>
    [Range(64 * 1024, 1024 * 1024 * 1024)]
    public int SendQueueMaxBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A session whose socket has accepted nothing of a message for this long (the client stopped reading) is
    /// dropped; the client catches up when it connects again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>TXs of one client received and waiting for their commit before the session stops reading more.</summary>
    [Range(1, 100_000)]
    public int MaxPendingTxs { get; set; } = 64;

    /// <summary>How long a closing session waits for the client's close frame before it drops the connection.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Test hook (default 0): each ACK_TX waits this long after its commit before it is queued, so tests can
    /// force other clients' TXs to commit while an ACK is outstanding. Not for production.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan AckDelayForTests { get; set; }

    /// <summary>Failed logins (43) from one address (IPv6: one /64) within <see cref="LoginFailureWindow"/> before the
    /// address is blocked.</summary>
    [Range(1, 1_000_000)]
    public int LoginFailuresPerAddress { get; set; } = 10;

    /// <summary>The window failed logins are counted in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a blocked address gets 40 REQ_REJECTED for every login, without its credentials being checked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LoginBlockTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The limit before login in effect: <see cref="MaxMessageBytesBeforeLogin"/>, at most <see cref="MaxMessageBytes"/>.</summary>
    internal int EffectiveMaxMessageBytesBeforeLogin() => Math.Min(MaxMessageBytesBeforeLogin, MaxMessageBytes);
}
