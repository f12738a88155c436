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
    private readonly Lock _gate = new();
    private SyncSessionServices? _services;

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
    }

    /// <summary>False once shutdown began: new connections should be turned away (503).</summary>
    public bool IsAccepting => !_registry.IsClosed;

    /// <summary>Open connections (logged in or not).</summary>
    public int ConnectionCount => _registry.Count;

    /// <summary>Sessions whose live TXs the <see cref="LiveFanOut"/> delivers right now (up to date and subscribed).</summary>
    internal int FanOutSessionCount => _engine.Services.FanOut.ParkedCount;

    /// <summary>Runs the session of one accepted WebSocket until it ends. Never throws.</summary>
    public Task RunAsync(WebSocket socket, string remoteAddress, CancellationToken connectionAborted)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var session = new SyncSession(socket, remoteAddress, Services(), _log);
        return session.RunAsync(connectionAborted);
    }

    /// <summary>Refuses new connections and closes every session with 1001 (going away); waits until they ended or
    /// <paramref name="ct"/> fires (then drops the rest). The engine stops the live fan-out afterwards.</summary>
    public Task CloseAllAsync(CancellationToken ct) =>
        _registry.CloseAllAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down", ct);

    private SyncSessionServices Services()
    {
        var engine = _engine.Services;
        lock (_gate)
        {
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
                    _statistics,
                    _time);
        }
    }
}
