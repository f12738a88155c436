using SyncServer.Client.Clock;
using SyncServer.Client.Ids;
using SyncServer.Client.Store;
using SyncServer.Client.Sync;
using SyncServer.Core.Model;
using SyncServer.Core.Protocol;

namespace SyncServer.Client;

// Singleton per data directory, thread-safe: every store access holds _gate (reentrant, so RunInTransaction can group
// writes); the connection loop is one background task; events are raised outside the lock.

/// <summary>
/// An offline-first local object store that syncs with a SyncServer. Reads and writes are local and immediate; every
/// write is one local transaction that also queues one TX for the server, sent (in order, after login) when connected.
/// The app sees local IDs only (docs/ids.md).
/// </summary>
public sealed partial class SyncClient : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly SyncClientOptions _options;
    private readonly ClientModel _model;
    private readonly LocalStore _store;
    private readonly IdTranslator _ids;
    private readonly HybridLogicalClock _clock;
    private readonly PendingSet _pending = new();
    private readonly byte[] _clientId;
    private readonly AsyncSignal _outboxChanged = new();
    private readonly AsyncSignal _outboxGrew = new();
    private readonly AsyncSignal _wake = new();
    private SyncCredentials _credentials;
    private IReadOnlyDictionary<string, FilterVariableValue> _filterVariables;
    private CancellationTokenSource? _stop;
    private Task? _loop;

    // Set by StopAsync before it closes the connection: the loop then does not reconnect.
    private volatile bool _stopping;

    /// <summary>How long <see cref="StopAsync"/> waits for the server to answer its close frame.</summary>
    private static readonly TimeSpan StopCloseWait = TimeSpan.FromSeconds(1);
    private volatile SyncState _state = SyncState.Created;
    private bool _disposed;

    /// <exception cref="ArgumentException">An option is invalid, e.g. a filter variable breaks a limit (the message names it).</exception>
    /// <exception cref="ModelException">The model JSON is not a valid model.</exception>
    /// <exception cref="IOException">Another client has <see cref="SyncClientOptions.DataDirectory"/> open.</exception>
    public SyncClient(SyncClientOptions options)
        : this(options, TimeProvider.System)
    {
    }

    internal SyncClient(SyncClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory, nameof(options) + "." + nameof(options.DataDirectory));
        ArgumentNullException.ThrowIfNull(options.ModelJson, nameof(options) + "." + nameof(options.ModelJson));
        foreach (var url in options.ServerUrls)
        {
            if (url.Scheme is not ("ws" or "wss"))
            {
                throw new ArgumentException($"Server URL {url} must start with ws:// or wss://.", nameof(options));
            }
        }

        _filterVariables = FilterVariableRules.Checked(options.FilterVariables, nameof(options) + "." + nameof(options.FilterVariables));
        _options = options;
        _credentials = options.Credentials ?? SyncCredentials.None;
        _model = new ClientModel(ModelJsonReader.Read(options.ModelJson));
        _store = new LocalStore(options.DataDirectory);
        try
        {
            _store.Begin();
            _clientId = _store.GetOrCreateClientId();
            _store.Commit();
            _ids = new IdTranslator(_model, _store) { ClientNumber = (uint)_store.GetMeta(MetaKeys.ClientNumber) };
            _clock = new HybridLogicalClock(time, _store.GetMeta(MetaKeys.Clock));
            LoadPending();
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    public SyncState State => _state;

    /// <summary>The model the client was made with.</summary>
    public ObjectBoxModel Model => _model.Model;

    /// <summary>This installation's persistent client ID (16 random bytes, made once per data directory).</summary>
    public ReadOnlyMemory<byte> ClientId => _clientId;

    /// <summary>The server's number for this client (docs/ids.md); 0 before the first successful login.</summary>
    public uint ClientNumber
    {
        get
        {
            lock (_gate)
            {
                return _ids.ClientNumber;
            }
        }
    }

    /// <summary>The last server position applied locally.</summary>
    public ulong Position
    {
        get
        {
            lock (_gate)
            {
                return _store.GetMeta(MetaKeys.Position);
            }
        }
    }

    /// <summary>TXs written locally and not yet ACKed by the server.</summary>
    public int OutboxCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.TxCount;
            }
        }
    }

    /// <summary>Starts connecting in the background (to each server URL in turn, reconnecting with backoff).</summary>
    public void Start()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_stop is not null)
            {
                if (_stop.IsCancellationRequested)
                {
                    throw new InvalidOperationException("A stopped client cannot be started again; make a new one.");
                }

                return;
            }

            if (_options.ServerUrls.Count == 0)
            {
                throw new InvalidOperationException("No server URLs configured; the client can only work offline.");
            }

            _stop = new CancellationTokenSource();
            SetState(SyncState.Started);
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }
    }

    /// <summary>Closes the connection and stops reconnecting. Local data stays usable until disposed.</summary>
    public async Task StopAsync()
    {
        Task? loop;
        SyncConnection? connection;
        lock (_gate)
        {
            loop = _loop;
            connection = _connection;
            _stopping = true;
        }

        if (loop is not null && connection is not null)
        {
            // Our close frame first, then wait (briefly) for the server's: the server sees a close handshake, a normal
            // end, instead of a dropped connection (cancelling a WebSocket receive aborts the socket).
            await connection.CloseAsync().ConfigureAwait(false);
            await Task.WhenAny(loop, Task.Delay(StopCloseWait)).ConfigureAwait(false);
        }

        lock (_gate)
        {
            _stop?.Cancel();
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        if (_state is not SyncState.Dead)
        {
            SetState(SyncState.Stopped);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            SetState(SyncState.Stopped);
            _store.Dispose();
            _stop?.Dispose();
        }
    }

    /// <summary>The filter variables the next login sends (<see cref="SyncClientOptions.FilterVariables"/>, or the last
    /// <see cref="SetFilterVariables"/>).</summary>
    public IReadOnlyDictionary<string, FilterVariableValue> FilterVariables
    {
        get
        {
            lock (_gate)
            {
                return _filterVariables;
            }
        }
    }

    /// <summary>Replaces the credentials and logs in again with them at once; queued TXs are kept.</summary>
    public void SetCredentials(SyncCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        Reconnect("new credentials", () => _credentials = credentials);
    }

    /// <summary>
    /// Replaces the filter variables (<see cref="SyncClientOptions.FilterVariables"/>; empty: none) and, when they differ
    /// from the current ones and the client is started, ends the connection with a close handshake and logs in again with
    /// them at once. Queued (un-ACKed) TXs stay in the outbox and are sent after the new login; the server then brings the
    /// local data to what the new variables let this client see. Before <see cref="Start"/> (or after
    /// <see cref="StopAsync"/>) the variables are only kept for the next login.
    /// </summary>
    /// <exception cref="ArgumentException">A variable breaks a limit; the message names it. Nothing changes.</exception>
    public void SetFilterVariables(IReadOnlyDictionary<string, FilterVariableValue> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var checkedVariables = FilterVariableRules.Checked(variables, nameof(variables));
        lock (_gate)
        {
            ThrowIfDisposed();
            if (FilterVariableRules.AreEqual(_filterVariables, checkedVariables))
            {
                return;
            }
        }

        Reconnect("new filter variables", () => _filterVariables = checkedVariables);
    }

    /// <summary>The entity <paramref name="entity"/> with values by property name.</summary>
    public SyncBox Box(string entity) => new(this, _model.GetEntity(entity));

    /// <summary>Objects of class <typeparamref name="T"/>, mapped to the entity named by <see cref="SyncEntityAttribute"/>
    /// (or the class name) property by property, names compared ignoring case.</summary>
    public SyncBox<T> Box<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(Typed.TypeMapper<T>.Members)] T>()
        where T : class, new() =>
        new(Box(Typed.TypeMapper<T>.EntityName), new Typed.TypeMapper<T>(_model.GetEntity(Typed.TypeMapper<T>.EntityName)));

    /// <summary>The standalone relation <paramref name="relation"/> of <paramref name="entity"/>.</summary>
    public SyncLinks Links(string entity, string relation) => new(this, _model.GetRelation(entity, relation));

    /// <summary>Waits until every TX queued so far is ACKed by the server (or dropped as rejected).</summary>
    public async Task WaitForUploadAsync(CancellationToken cancellationToken = default)
    {
        ulong target;
        lock (_gate)
        {
            target = _store.GetMeta(MetaKeys.LastTxId);
        }

        while (true)
        {
            var changed = _outboxChanged.WaitAsync(cancellationToken);
            lock (_gate)
            {
                ThrowIfDisposed();
                if (!_pending.HasTxUpTo(target))
                {
                    return;
                }
            }

            await changed.ConfigureAwait(false);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void LoadPending()
    {
        ulong after = 0;
        while (true)
        {
            var batch = _store.ReadOutbox(after, 1000);
            if (batch.Count == 0)
            {
                return;
            }

            foreach (var (txId, ops) in batch)
            {
                _pending.Add(txId, DecodeOps(ops));
                after = txId;
            }
        }
    }

    private static List<SyncOp> DecodeOps(byte[] ops)
    {
        var reader = new ProtocolReader(ops);
        return OpCodec.Read(ref reader, int.MaxValue);
    }

    private static byte[] EncodeOps(IReadOnlyList<SyncOp> ops)
    {
        var writer = new ProtocolWriter();
        OpCodec.Write(writer, ops);
        return writer.ToArray();
    }
}
