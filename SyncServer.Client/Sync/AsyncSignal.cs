namespace SyncServer.Client.Sync;

/// <summary>
/// Wakes every waiter when <see cref="Set"/> is called. Thread-safe. To wait for a condition without missing a wake-up:
/// take <see cref="WaitAsync"/>'s task first, then check the condition, then await the task.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _current).Task.WaitAsync(cancellationToken);

    public void Set()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _current, next).TrySetResult();
    }
}
