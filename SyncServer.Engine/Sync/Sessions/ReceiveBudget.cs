namespace SyncServer.Engine.Sync.Sessions;

// Singleton, thread-safe (interlocked arithmetic on one counter).
/// <summary>
/// The bytes all sessions together may hold in receive buffers for messages still arriving or being handled
/// (<see cref="SyncOptions.MaxReceiveBufferBytes"/>). A session takes a buffer's size before it uses the buffer and gives
/// it back when it returns the buffer; a message that would need more than is left is refused with ERROR ServerBusy.
/// So connections that trickle partial messages can pin at most this much memory together, whatever their number.
/// </summary>
internal sealed class ReceiveBudget(long maxBytes)
{
    private long _used;

    /// <summary>Bytes taken right now.</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Takes <paramref name="bytes"/>; false (nothing taken) when that would exceed the budget.</summary>
    public bool TryTake(int bytes)
    {
        if (Interlocked.Add(ref _used, bytes) <= maxBytes)
        {
            return true;
        }

        Interlocked.Add(ref _used, -bytes);
        return false;
    }

    /// <summary>Gives back <paramref name="bytes"/> taken before.</summary>
    public void Give(int bytes) => Interlocked.Add(ref _used, -bytes);
}
