using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Engine.Sync.Sessions;

internal sealed partial class SyncSession
{
    /// <summary>
    /// FULL_SYNC_BEGIN, the snapshot's objects and links in FULL_SYNC_DATA batches (in the client's schema terms),
    /// FULL_SYNC_END; the client then continues from the snapshot position. For a new client (position 0), one whose
    /// position the log no longer reaches back to, or one ahead of the server (a reset server).
    /// </summary>
    private async Task FullSyncAsync(CancellationToken ct)
    {
        var view = _services.Schemas.View(_schemaVersionId);
        using var snapshot = _services.Snapshots.Open(_clientModel!, _filters);
        // ACK before later pushes holds for the snapshot too: it may show TXs that committed after one of this client's.
        await WaitForPushLimitAsync(snapshot.Position, ct).ConfigureAwait(false);
        SessionLog.FullSyncBegin(_log, ClientNumber, _cursor.Position, snapshot.Position);
        _stats.FullSyncStarted();
        await SendAsync(new FullSyncBeginMessage(snapshot.Position), ct).ConfigureAwait(false);
        var (messages, ops) = (0, 0);
        foreach (var batch in snapshot.Batches)
        {
            var shown = view.IsIdentity ? batch : view.Filter(batch);
            if (shown.Count == 0)
            {
                continue;
            }

            if (!await SendAsync(new FullSyncDataMessage(shown), ct).ConfigureAwait(false))
            {
                return;
            }

            messages++;
            ops += shown.Count;
        }

        await SendAsync(new FullSyncEndMessage(snapshot.Position), ct).ConfigureAwait(false);
        SessionLog.FullSyncEnd(_log, ClientNumber, snapshot.Position, messages, ops);
        // The client confirms FULL_SYNC_END's position.
        _cursor.Advance(CursorOwner.UpdatesLoop, snapshot.Position, lastSent: snapshot.Position);
        _fullSyncDone = true;
        _stats.Covered(_cursor.LastSent, _cursor.Position);
    }
}
