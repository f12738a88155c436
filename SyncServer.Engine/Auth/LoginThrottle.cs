using System.Collections.Concurrent;

namespace SyncServer.Engine.Auth;

// Singleton, thread-safe: one small lock-protected record per address in a concurrent dictionary; expired records are
// swept when the dictionary grows, so a flood of addresses cannot grow it without bound.
/// <summary>
/// Failed logins per remote address (<see cref="AuthContext.ThrottleKey"/>): after <c>maxFailures</c> within
/// <c>window</c>, the address is blocked for <c>blockTime</c> and every login from it is refused without its credentials
/// being checked, so guessing a secret or password does not scale with connections. A successful login does not reset
/// the count (else one valid account would unlock unlimited guesses). Public for the host: the admin UI's login page
/// throttles its own failed logins per address with an instance of its own.
/// </summary>
public sealed class LoginThrottle(int maxFailures, TimeSpan window, TimeSpan blockTime, TimeProvider time)
{
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>True (and how long still) when <paramref name="key"/> is blocked.</summary>
    public bool IsBlocked(string key, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        lock (entry)
        {
            var now = time.GetUtcNow();
            if (entry.BlockedUntil is { } until && until > now)
            {
                remaining = until - now;
                return true;
            }

            return false;
        }
    }

    /// <summary>Counts a failed login; true when this failure blocked the address.</summary>
    public bool Failed(string key)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= SweepThreshold)
        {
            Sweep(now);
        }

        var entry = _entries.GetOrAdd(key, static _ => new Entry());
        lock (entry)
        {
            while (entry.Failures.Count > 0 && now - entry.Failures.Peek() >= window)
            {
                entry.Failures.Dequeue();
            }

            entry.Failures.Enqueue(now);
            if (entry.Failures.Count < maxFailures || entry.BlockedUntil > now)
            {
                return false;
            }

            entry.BlockedUntil = now + blockTime;
            entry.Failures.Clear();
            return true;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            lock (entry)
            {
                var blocked = entry.BlockedUntil > now;
                var recent = entry.Failures.Count > 0 && now - entry.Failures.Peek() < window;
                if (!blocked && !recent)
                {
                    _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                }
            }
        }
    }

    private sealed class Entry
    {
        public Queue<DateTimeOffset> Failures { get; } = new();
        public DateTimeOffset? BlockedUntil { get; set; }
    }
}
