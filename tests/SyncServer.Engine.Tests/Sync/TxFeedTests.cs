using SyncServer.Engine.Sync;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Sync;

public sealed class TxFeedTests : IDisposable
{
    private readonly SyncTestHost _host = new(ringCapacity: 10);
    private readonly uint _client;

    public TxFeedTests()
    {
        _client = _host.Login("phone");
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task WaitForNewAsync_completes_when_a_transaction_commits_after_the_position()
    {
        await Commit(1);
        Assert.True(_host.Feed.WaitForNewAsync(0, CancellationToken.None).AsTask().IsCompletedSuccessfully);

        var waiting = _host.Feed.WaitForNewAsync(1, CancellationToken.None).AsTask();
        var alsoWaiting = _host.Feed.WaitForNewAsync(1, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        await Commit(2);

        await Task.WhenAll(waiting, alsoWaiting).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2ul, _host.Feed.Head);
    }

    [Fact]
    public async Task WhenNewAsync_is_one_shared_signal_that_completes_with_the_next_commit()
    {
        await Commit(1);
        Assert.True(_host.Feed.WhenNewAsync(0).IsCompletedSuccessfully);

        var waiting = _host.Feed.WhenNewAsync(1);
        Assert.Same(waiting, _host.Feed.WhenNewAsync(1));
        Assert.False(waiting.IsCompleted);

        await Commit(2);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2ul, _host.Feed.Head);
        Assert.False(_host.Feed.WhenNewAsync(2).IsCompleted);
    }

    [Fact]
    public async Task WaitForNewAsync_can_be_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var waiting = _host.Feed.WaitForNewAsync(0, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Reading_from_the_ring_and_from_the_database_gives_the_same_transactions()
    {
        for (ulong i = 1; i <= 30; i++)
        {
            await Commit(i);
        }

        // Positions 21-30 are in the ring (capacity 10), 1-20 only in the database.
        var mixed = _host.Feed.Read(0, 100, int.MaxValue);
        var fromRing = _host.Feed.Read(25, 100, int.MaxValue);
        await _host.ReopenAsync();
        var fromDatabase = _host.Feed.Read(0, 100, int.MaxValue);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (ulong)i), mixed.Select(tx => tx.Position));
        Assert.Equal(fromDatabase.Select(Shape), mixed.Select(Shape));
        Assert.Equal(fromDatabase.Skip(25).Select(Shape), fromRing.Select(Shape));
        Assert.Equal(30ul, _host.Feed.Head);
    }

    [Fact]
    public async Task Read_stops_at_the_transaction_and_byte_limits_but_returns_at_least_one()
    {
        for (ulong i = 1; i <= 5; i++)
        {
            await Commit(i);
        }

        var size = _host.Feed.Read(0, 1, int.MaxValue).Single().EncodedOps.Length;

        Assert.Equal([1ul, 2ul], _host.Feed.Read(0, 2, int.MaxValue).Select(tx => tx.Position));
        Assert.Equal([3ul, 4ul], _host.Feed.Read(2, 10, (2 * size) + 1).Select(tx => tx.Position));
        Assert.Equal([5ul], _host.Feed.Read(4, 10, 1).Select(tx => tx.Position));
        Assert.Empty(_host.Feed.Read(5, 10, int.MaxValue));
    }

    [Fact]
    public async Task A_position_before_the_retained_log_needs_a_full_sync()
    {
        Assert.Equal(1ul, _host.Feed.RetainedFrom);
        Assert.True(_host.Feed.CanCatchUpFrom(0));

        _host.Database.Write((c, _) =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "INSERT INTO meta (key, value) VALUES ('txlog_retained_from', '5')";
            return command.ExecuteNonQuery();
        });
        await _host.ReopenAsync();

        Assert.Equal(5ul, _host.Feed.RetainedFrom);
        Assert.False(_host.Feed.CanCatchUpFrom(3));
        Assert.True(_host.Feed.CanCatchUpFrom(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => _host.Feed.Read(3, 10, 1000));
    }

    private Task<TxOutcome> Commit(ulong txId) => _host.SubmitAsync(_client, txId, Put("Tag", txId, ("name", $"tag {txId}")));

    private static (ulong, uint, long, int, string) Shape(StoredTx tx) =>
        (tx.Position, tx.ClientNumber, tx.CommittedUnixMs, tx.OpCount, Convert.ToHexString(tx.EncodedOps.Span));
}
