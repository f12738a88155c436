using SyncServer.Client.Sync;
using SyncServer.Core.Protocol;

namespace SyncServer.Client.Tests;

public sealed class PendingSetTests
{
    private static readonly byte[] Data = [1, 2, 3];

    [Fact]
    public void A_full_sync_keeps_what_a_TX_acked_after_its_snapshot_changed_until_the_client_reaches_that_position()
    {
        var pending = new PendingSet();
        pending.Add(1, [new PutOp(1, 10, Data)]);
        pending.Add(2, [new PutOp(1, 11, Data)]);
        pending.Add(3, [new PutOp(1, 12, Data)]);
        pending.Acknowledge(1, position: 5);
        pending.Acknowledge(2, position: 7);

        // A snapshot at 6 predates TX 2 (position 7): its object must survive the full sync, as must the pending TX 3's.
        var kept = pending.KeysNewerThan(6);
        Assert.Equal(new HashSet<PendingKey> { PendingKey.Object(1, 11), PendingKey.Object(1, 12) }, kept);

        pending.ForgetAckedUpTo(7);
        Assert.Equal(new HashSet<PendingKey> { PendingKey.Object(1, 12) }, pending.KeysNewerThan(6));
        Assert.False(pending.Contains(PendingKey.Object(1, 11)));
    }
}
