using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Sync.Sessions;

// Singleton, thread-safe: the shared session services are built from the running engine's services on the first
// connection (under a lock); each connection then runs its own SyncSession.
/// <summary>
/// What the web host hands accepted sync WebSockets to: runs one <see cref="SyncSession"/> per connection and, at
/// shutdown, closes them all (1001) before the writer drains and the database closes.
/// </summary>
public sealed class SyncSessionHost
{
    private readonly SyncEngine _engine;
    private readonly SyncOptions _options;
    private readonly ClientAuthentication _authentication;
    private readonly SessionRegistry _registry;
    private readonly SyncStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ReceiveBudget _receiveBudget;
    private readonly Lock _gate = new();
    private SyncSessionServices? _services;
    private SessionWatchdog? _watchdog;
    private int _admitted;

    internal SyncSessionHost(
        SyncEngine engine, SyncOptions options, ClientAuthentication authentication, SessionRegistry registry, SyncStatistics statistics,
        TimeProvider time, ILoggerFactory loggerFactory)
    {
        _engine = engine;
        _options = options;
        _authentication = authentication;
        _registry = registry;
        _statistics = statistics;
        _time = time;
        _log = loggerFactory.CreateLogger(LogTags.Sync);
        _receiveBudget = new ReceiveBudget(options.MaxReceiveBufferBytes);
    }

    /// <summary>False once shutdown began: new connections should be turned away (503).</summary>
    public bool IsAccepting => !_registry.IsClosed;

    /// <summary>Open connections (logged in or not).</summary>
    public int ConnectionCount => _registry.Count;

    /// <summary>Sessions whose live TXs the <see cref="LiveFanOut"/> delivers right now (up to date and subscribed).</summary>
    internal int FanOutSessionCount => _engine.Services.FanOut.ParkedCount;

    /// <summary>Bytes the sessions hold right now for messages still arriving or being handled.</summary>
    internal long ReceiveBufferBytes => _receiveBudget.Used;

    /// <summary>
    /// Takes one of the <see cref="SyncOptions.MaxConnections"/> connection slots for a connection about to be upgraded;
    /// false when all are taken (answer 503). A taken slot is given back with <see cref="Leave"/> when the connection
    /// ends, whether it became a session or not.
    /// </summary>
    public bool TryAdmit(string remoteAddress)
    {
        var count = Interlocked.Increment(ref _admitted);
        if (count <= _options.MaxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref _admitted);
        SessionLog.TooManyConnections(_log, remoteAddress, count - 1, _options.MaxConnections);
        return false;
    }

    /// <summary>Gives back the slot <see cref="TryAdmit"/> took.</summary>
    public void Leave() => Interlocked.Decrement(ref _admitted);

    /// <summary>A guard for one connection's frame headers, with the configured message limit; see
    /// <see cref="FrameHeaderGuard"/>.</summary>
    public FrameHeaderGuard NewFrameHeaderGuard() => new(_options.MaxMessageBytes, _options.EffectiveMaxMessageBytesBeforeLogin());

    /// <summary>Runs the session of one accepted WebSocket until it ends. Never throws. <paramref name="frameGuard"/>,
    /// when the socket's stream was wrapped by one, lets the session refuse an oversized message from its frame headers.</summary>
    public Task RunAsync(WebSocket socket, string remoteAddress, CancellationToken connectionAborted, FrameHeaderGuard? frameGuard = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var session = new SyncSession(socket, remoteAddress, Services(), _log, frameGuard);
        return session.RunAsync(connectionAborted);
    }

    /// <summary>Refuses new connections and closes every session with 1001 (going away); waits until they ended or
    /// <paramref name="ct"/> fires (then drops the rest). The engine stops the live fan-out afterwards.</summary>
    /// <remarks>Sessions still open after <see cref="SyncOptions.CloseTimeout"/> (a client that stopped reading never
    /// lets the last write finish) are dropped, so shutdown takes at most that long here.</remarks>
    public async Task CloseAllAsync(CancellationToken ct)
    {
        await _registry.CloseAllAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down", _options.CloseTimeout, _time, ct)
            .ConfigureAwait(false);
        SessionWatchdog? watchdog;
        lock (_gate)
        {
            watchdog = _watchdog;
            _watchdog = null;
        }

        if (watchdog is not null)
        {
            await watchdog.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The filters of the open session of client `number`, for the admin UI's explain view.
    private Filters.ClientFilters? ConnectedFilters(uint number) =>
        _registry.Sessions.FirstOrDefault(s => s.LoggedInNumber == number)?.Filters;

    private SyncSessionServices Services()
    {
        var engine = _engine.Services;
        lock (_gate)
        {
            _watchdog ??= new SessionWatchdog(_registry, _options, _time, _log);
            engine.Inspector.Connected = ConnectedFilters;
            return _services is { } built && ReferenceEquals(built.Writer, engine.Writer)
                ? built
                : _services = new SyncSessionServices(
                    _options,
                    _authentication,
                    _registry,
                    new ClientSchemas(engine.Schema),
                    engine.Clients,
                    engine.Writer,
                    engine.Feed,
                    engine.FanOut,
                    engine.Snapshots,
                    engine.Filters,
                    _receiveBudget,
                    _statistics,
                    _time);
        }
    }
}
