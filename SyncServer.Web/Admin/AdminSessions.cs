namespace SyncServer.Web.Admin;

// Singleton, thread-safe: the subscriptions are guarded by _gate; the callbacks run outside it, on the caller's thread.
/// <summary>
/// Ends an admin user's live sessions at once (docs/admin.md, "Sessions"): Blazor circuits and stats hub connections
/// subscribe for their user, and <see cref="End"/> (called after the user was deleted, locked, had their password reset,
/// or logged out) tells each of them to close. Cookies are ended by the security stamp, checked on every request.
/// </summary>
internal sealed class AdminSessions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Subscription>> _byUser = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="ended"/> once when the sessions of <paramref name="userId"/> are ended; dispose to stop.</summary>
    public IDisposable Subscribe(string userId, Action ended)
    {
        var subscription = new Subscription(this, userId, ended);
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var list))
            {
                _byUser[userId] = list = [];
            }

            list.Add(subscription);
        }

        return subscription;
    }

    /// <summary>The number of live sessions subscribed for <paramref name="userId"/>.</summary>
    public int Count(string userId)
    {
        lock (_gate)
        {
            return _byUser.TryGetValue(userId, out var list) ? list.Count : 0;
        }
    }

    /// <summary>Ends every live session of <paramref name="userId"/>; returns how many there were.</summary>
    public int End(string userId)
    {
        List<Subscription> ended;
        lock (_gate)
        {
            if (!_byUser.Remove(userId, out var list))
            {
                return 0;
            }

            ended = list;
        }

        foreach (var subscription in ended)
        {
            subscription.Ended();
        }

        return ended.Count;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(subscription.UserId, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                _byUser.Remove(subscription.UserId);
            }
        }
    }

    private sealed class Subscription(AdminSessions owner, string userId, Action ended) : IDisposable
    {
        public string UserId => userId;

        public void Ended() => ended();

        public void Dispose() => owner.Remove(this);
    }
}
