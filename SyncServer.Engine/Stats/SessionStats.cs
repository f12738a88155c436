namespace SyncServer.Engine.Stats;

// One per connection, thread-safe: each counter has one writing loop of the session (Interlocked, so any thread reads a
// whole value); the login fields are set once by the receive loop before the session is listed in SyncStatistics.
/// <summary>
/// A session's own statistics, which also feed the server totals of <see cref="SyncStatistics"/>. Listed in
/// <see cref="SyncStatistics.Clients"/> from a successful login until the session ends.
/// </summary>
internal sealed class SessionStats(SyncStatistics owner, string remoteAddress)
{
    private long _messagesIn;
    private long _bytesIn;
    private long _messagesOut;
    private long _bytesOut;
    private ulong _confirmed;
    private volatile Coverage _coverage = new(0, 0);
    private int _failed;
    private volatile string? _lastError;
    private volatile ClientLogin? _login;

    public string RemoteAddress => remoteAddress;

    /// <summary>Set by <see cref="LoggedIn"/>; null before.</summary>
    public ClientLogin? Login => _login;

    public string? LastError => _lastError;

    /// <summary>One complete message of <paramref name="bytes"/> arrived (receive loop).</summary>
    public void Received(int bytes)
    {
        Interlocked.Increment(ref _messagesIn);
        Interlocked.Add(ref _bytesIn, bytes);
        owner.Add(StatCounter.MessagesIn);
        owner.Add(StatCounter.MessageBytesIn, bytes);
    }

    /// <summary>One message of <paramref name="bytes"/> was written to the socket (send loop).</summary>
    public void Sent(int bytes)
    {
        Interlocked.Increment(ref _messagesOut);
        Interlocked.Add(ref _bytesOut, bytes);
        owner.Add(StatCounter.MessagesOut);
        owner.Add(StatCounter.MessageBytesOut, bytes);
    }

    /// <summary>The login succeeded: the session is listed as a connected client from now on.</summary>
    public void LoggedIn(byte[] clientId, uint clientNumber, int schemaVersion, ulong position, DateTimeOffset at)
    {
        Volatile.Write(ref _confirmed, position);
        _coverage = new Coverage(0, position);
        _login = new ClientLogin(Convert.ToHexString(clientId), clientNumber, schemaVersion, at);
        owner.ClientLoggedIn(this);
    }

    /// <summary>TXS_APPLIED (receive loop): the client has stored everything up to <paramref name="position"/>.</summary>
    public void Confirmed(ulong position)
    {
        if (position > Volatile.Read(ref _confirmed))
        {
            Volatile.Write(ref _confirmed, position);
        }
    }

    /// <summary>
    /// The updates loop has sent (or skipped) everything up to <paramref name="position"/>; the last TX it actually sent,
    /// which the client will confirm, is at <paramref name="lastSent"/>.
    /// </summary>
    public void Covered(ulong lastSent, ulong position) => _coverage = new Coverage(lastSent, position);

    public void TxsSent(bool historic, int count) => owner.Add(historic ? StatCounter.TxsSentHistoric : StatCounter.TxsSentLive, count);

    public void FullSyncStarted() => owner.Add(StatCounter.FullSyncs);

    /// <summary>The session failed; only its first failure counts.</summary>
    public void Failed(StatFailure kind, string reason)
    {
        if (Interlocked.Exchange(ref _failed, 1) == 0)
        {
            owner.Add((StatCounter)kind);
        }

        _lastError = reason;
    }

    /// <summary>The server sends the client an ERROR: a protocol violation, or an internal (handler) failure.</summary>
    public void Error(bool handler, string text)
    {
        owner.Add(handler ? StatCounter.ErrorsHandler : StatCounter.ErrorsProtocol);
        _lastError = text;
    }

    /// <summary>The position the client has (see <see cref="ClientStats.Position"/>).</summary>
    public ulong Position
    {
        get
        {
            var coverage = _coverage;
            var confirmed = Volatile.Read(ref _confirmed);
            return confirmed >= coverage.LastSent ? Math.Max(confirmed, coverage.Position) : confirmed;
        }
    }

    public ClientStats ToClientStats(ulong head, string? earlierError)
    {
        var login = _login!;
        var position = Position;
        return new ClientStats(
            login.ClientId,
            login.ClientNumber,
            remoteAddress,
            login.At,
            login.SchemaVersion,
            position,
            _coverage.Position,
            head > position ? head - position : 0,
            Interlocked.Read(ref _bytesIn),
            Interlocked.Read(ref _bytesOut),
            Interlocked.Read(ref _messagesIn),
            Interlocked.Read(ref _messagesOut),
            _lastError ?? earlierError);
    }

    internal sealed record ClientLogin(string ClientId, uint ClientNumber, int SchemaVersion, DateTimeOffset At);

    private sealed record Coverage(ulong LastSent, ulong Position);
}
