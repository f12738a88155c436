namespace SyncServer.Engine.Sync.Sessions;

// One per session, not thread-safe: it has exactly one owner at a time (Owner), and only the owner reads or moves it.
// The session's updates loop owns it, except while the session is parked with the LiveFanOut: LiveFanOut.TryPark hands
// it to the fan-out and LiveFanOut.Unpark or the fan-out's hand-back returns it, both under the fan-out's lock, which
// also publishes every move to the next owner. (The receive loop sets it once at login, before the updates loop starts.)
/// <summary>
/// How far a client has been sent the <see cref="TxFeed"/>: the position handoff between the session's updates loop
/// (catch-up, full sync, live TXs when it is not parked) and the <see cref="LiveFanOut"/> (live TXs while it is).
/// </summary>
internal sealed class FeedCursor
{
    /// <summary>Who may read and move the cursor right now; changed only by the <see cref="LiveFanOut"/> under its lock.</summary>
    public CursorOwner Owner { get; private set; } = CursorOwner.UpdatesLoop;

    /// <summary>The last position the client has been sent (or that was skipped as its own).</summary>
    public ulong Position { get; private set; }

    /// <summary>The position of the last TX actually sent (the client confirms up to it).</summary>
    public ulong LastSent { get; private set; }

    /// <summary>
    /// The client has everything up to <paramref name="position"/>; <paramref name="lastSent"/>, when given, is the
    /// last position of it that was actually sent. <paramref name="by"/> names the caller, which must be the owner.
    /// </summary>
    public void Advance(CursorOwner by, ulong position, ulong? lastSent = null)
    {
        System.Diagnostics.Debug.Assert(by == Owner, $"the cursor is moved by its owner ({Owner}), not by {by}");
        Position = position;
        if (lastSent is { } sent)
        {
            LastSent = sent;
        }
    }

    /// <summary>Hands the cursor to <paramref name="owner"/>. Only the <see cref="LiveFanOut"/> calls this, under its lock.</summary>
    internal void HandTo(CursorOwner owner) => Owner = owner;
}

/// <summary>Who owns a <see cref="FeedCursor"/>.</summary>
internal enum CursorOwner
{
    /// <summary>The session's updates loop (catch-up, full sync, live TXs it reads itself).</summary>
    UpdatesLoop,

    /// <summary>The <see cref="LiveFanOut"/>, while the session is parked with it.</summary>
    FanOut,
}
