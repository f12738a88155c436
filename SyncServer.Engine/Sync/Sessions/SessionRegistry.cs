using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace SyncServer.Engine.Sync.Sessions;

// Singleton, thread-safe: concurrent dictionaries; a client ID is claimed atomically (TryAdd), so two logins with the
// same ID race to one winner.
/// <summary>
/// The open sessions: every connection (so shutdown can close them all) and, after login, which client ID each serves
/// (one session per client ID: a second login with it is refused with 61 CLIENT_ID_TAKEN).
/// </summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<SyncSession, byte> _sessions = new();
    private readonly ConcurrentDictionary<string, SyncSession> _byClientId = new(StringComparer.Ordinal);
    private volatile bool _closed;

    /// <summary>Connections currently open (logged in or not).</summary>
    public int Count => _sessions.Count;

    /// <summary>The open sessions (a moment's view, taken without a lock).</summary>
    public IEnumerable<SyncSession> Sessions
    {
        get
        {
            // Enumerating the dictionary itself takes no lock (its Keys property would take them all).
            foreach (var pair in _sessions)
            {
                yield return pair.Key;
            }
        }
    }

    /// <summary>Sessions that completed login.</summary>
    public int LoggedInCount => _byClientId.Count;

    /// <summary>True once shutdown began: new connections are turned away.</summary>
    public bool IsClosed => _closed;

    /// <summary>Adds a new connection; false after shutdown began.</summary>
    public bool Add(SyncSession session)
    {
        if (_closed)
        {
            return false;
        }

        _sessions.TryAdd(session, 0);
        if (_closed)
        {
            // CloseAll ran between the check and the add: it may have missed this session.
            _sessions.TryRemove(session, out _);
            return false;
        }

        return true;
    }

    /// <summary>Claims <paramref name="clientId"/> for <paramref name="session"/>; false if another session holds it.</summary>
    public bool TryClaim(ReadOnlySpan<byte> clientId, SyncSession session) => _byClientId.TryAdd(Key(clientId), session);

    /// <summary>Releases <paramref name="clientId"/> if <paramref name="session"/> holds it (idempotent).</summary>
    public void Release(ReadOnlySpan<byte> clientId, SyncSession session) =>
        _byClientId.TryRemove(new KeyValuePair<string, SyncSession>(Key(clientId), session));

    /// <summary>Forgets the session and releases its client ID (if it claimed one).</summary>
    public void Remove(SyncSession session, ReadOnlySpan<byte> claimedClientId)
    {
        _sessions.TryRemove(session, out _);
        if (!claimedClientId.IsEmpty)
        {
            Release(claimedClientId, session);
        }
    }

    /// <summary>
    /// Shutdown: refuses new connections, asks every session to close with <paramref name="status"/>, waits until they
    /// have ended, at most <paramref name="closeWait"/> (or until <paramref name="ct"/> fires), then drops the
    /// connections of the rest (a client that stopped reading never lets its session's last write finish) and waits for
    /// them to end.
    /// </summary>
    public async Task CloseAllAsync(WebSocketCloseStatus status, string description, TimeSpan closeWait, TimeProvider time, CancellationToken ct)
    {
        _closed = true;
        var sessions = _sessions.Keys.ToList();
        foreach (var session in sessions)
        {
            session.RequestClose(status, description);
        }

        var ended = Task.WhenAll(sessions.Select(s => s.Completion));
        try
        {
            await ended.WaitAsync(closeWait, time, ct).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            foreach (var session in sessions)
            {
                session.Abort();
            }
        }

        // An aborted session ends at once (its loops see the aborted socket); the host's token still bounds the wait.
        try
        {
            await ended.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host stops waiting; the aborted sessions end on their own.
        }
    }

    private static string Key(ReadOnlySpan<byte> clientId) => Convert.ToHexString(clientId);
}
