using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync;

// Singleton, thread-safe: logins write through the storage's single writer; applied positions are coalesced in a
// concurrent map and written together by one delayed flush.
/// <summary>
/// The clients that ever logged in: gives each persistent client ID its client number (1, 2, 3, ...) at first login and
/// remembers, per client, the last applied client TX ID (kept by <see cref="TxWriter"/>) and the txlog position the
/// client confirmed it applied.
/// </summary>
internal sealed class ClientRegistry : IDisposable
{
    /// <summary>Client numbers take 24 bits of a global object ID (docs/ids.md).</summary>
    public const uint MaxClientNumber = (1u << 24) - 1;

    /// <summary>The longest accepted persistent client ID (LOGIN allows 1 to 64 bytes, docs/protocol.md).</summary>
    public const int MaxClientIdLength = 64;

    private readonly ISyncStorage _storage;
    private readonly TimeProvider _time;
    private readonly TimeSpan _flushDelay;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<uint, ulong> _pending = new();
    private int _flushScheduled;

    /// <param name="flushDelay">How long confirmed positions are collected before they are written (default 1 s). A crash
    /// loses at most this window; the client then gets some transactions again, which it skips as already applied.</param>
    public ClientRegistry(ISyncStorage storage, TimeProvider time, ILoggerFactory loggerFactory, TimeSpan? flushDelay = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _storage = storage;
        _time = time;
        _flushDelay = flushDelay ?? TimeSpan.FromSeconds(1);
        _log = loggerFactory.CreateLogger(LogTags.Sync);
    }

    /// <summary>Registers a login: creates the client with the next free number on its first login, else updates its
    /// last login time. Returns what the server knows about the client.</summary>
    /// <exception cref="ArgumentException">The client ID is empty or longer than <see cref="MaxClientIdLength"/>.</exception>
    /// <exception cref="InvalidOperationException">All client numbers are taken.</exception>
    public ClientRecord Login(ReadOnlySpan<byte> clientId)
    {
        if (clientId.IsEmpty || clientId.Length > MaxClientIdLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A client ID has 1 to {MaxClientIdLength} bytes, got {clientId.Length}"),
                nameof(clientId));
        }

        var (record, created) = _storage.RecordClientLogin(clientId.ToArray(), _time.GetUtcNow(), MaxClientNumber);
        if (created)
        {
            SyncLog.ClientCreated(_log, record.Number);
        }

        return _pending.TryGetValue(record.Number, out var pending) && pending > record.AppliedPosition
            ? record with { AppliedPosition = pending }
            : record;
    }

    /// <summary>Records that client <paramref name="number"/> applied the transactions up to <paramref name="position"/>.
    /// Only ever moves forward. Written to the database by a delayed <see cref="Flush"/>, not per call.</summary>
    public void SetAppliedPosition(uint number, ulong position)
    {
        _pending.AddOrUpdate(number, position, (_, old) => Math.Max(old, position));
        if (Interlocked.Exchange(ref _flushScheduled, 1) == 0)
        {
            ScheduledFlush = FlushLaterAsync();
        }
    }

    /// <summary>Stores the sync filter state client <paramref name="number"/>'s store now matches (docs/filters.md), off
    /// the caller's thread; a failure is logged and the client converges again at its next login.</summary>
    public void SaveFilterState(uint number, string state) => LastFilterStateSave = Task.Run(() =>
    {
        try
        {
            _storage.SaveFilterState(number, state);
        }
        catch (Exception e) when (e is StorageException or ObjectDisposedException)
        {
            SyncLog.FilterStateNotSaved(_log, e, number);
        }
    });

    /// <summary>The last filter state save (tests await it).</summary>
    internal Task LastFilterStateSave { get; private set; } = Task.CompletedTask;

    /// <summary>The last delayed flush that was scheduled (tests await it).</summary>
    internal Task ScheduledFlush { get; private set; } = Task.CompletedTask;

    /// <summary>Writes the confirmed positions collected so far, in one transaction.</summary>
    public void Flush()
    {
        var pending = _pending.ToArray();
        if (pending.Length == 0)
        {
            return;
        }

        _storage.SaveAppliedPositions(pending);
        foreach (var entry in pending)
        {
            // Removes only if no newer position arrived meanwhile.
            _pending.TryRemove(entry);
        }
    }

    /// <summary>Writes what is still pending.</summary>
    public void Dispose() => Flush();

    private async Task FlushLaterAsync()
    {
        try
        {
            await Task.Delay(_flushDelay, _time).ConfigureAwait(false);
            Volatile.Write(ref _flushScheduled, 0);
            Flush();
        }
        catch (ObjectDisposedException)
        {
            // The database closed at shutdown; Dispose flushed what it could.
        }
        catch (StorageException e) when (e is DatabaseFullException or DatabaseDamagedException)
        {
            // The storage logged the episode once; the positions stay pending and are retried with the next confirmation.
        }
        catch (StorageException e)
        {
            SyncLog.AppliedPositionsNotSaved(_log, e);
        }
    }
}
