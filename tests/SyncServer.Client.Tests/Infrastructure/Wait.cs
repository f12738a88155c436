namespace SyncServer.Client.Tests.Infrastructure;

/// <summary>Waiting on events with timeouts: never a fixed sleep.</summary>
internal static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Re-checks <paramref name="condition"/> whenever the client reports something (and at least every 50 ms),
    /// until it holds or the timeout passes.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, params SyncClient[] clients)
    {
        var signal = new SemaphoreSlim(0);
        void Poke(object? sender, EventArgs e) => signal.Release();
        void PokeTx(object? sender, ulong e) => signal.Release();
        void PokeState(object? sender, SyncState e) => signal.Release();
        foreach (var client in clients)
        {
            client.DataChanged += Poke;
            client.TxAcknowledged += PokeTx;
            client.StateChanged += PokeState;
            client.UpdatesCompleted += Poke;
        }

        try
        {
            var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
            while (!condition())
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"Timed out waiting for: {what}");
                }

                await signal.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(50, left.TotalMilliseconds)));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.DataChanged -= Poke;
                client.TxAcknowledged -= PokeTx;
                client.StateChanged -= PokeState;
                client.UpdatesCompleted -= Poke;
            }
        }
    }

    /// <summary>Completes with the next <paramref name="subscribe"/>d event's args.</summary>
    public static async Task<T> ForEventAsync<T>(Action<EventHandler<T>> subscribe, Action<EventHandler<T>> unsubscribe, Func<Task>? trigger = null, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(object? sender, T args) => done.TrySetResult(args);
        subscribe(Handler);
        try
        {
            if (trigger is not null)
            {
                await trigger();
            }

            return await done.Task.WaitAsync(timeout ?? DefaultTimeout);
        }
        finally
        {
            unsubscribe(Handler);
        }
    }
}
