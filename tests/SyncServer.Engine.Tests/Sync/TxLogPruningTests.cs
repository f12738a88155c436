using SyncServer.Engine.Sync;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Sync;

/// <summary>historySizeMaxKb / historySizeTargetKb: the writer prunes the oldest log entries in the same commit.</summary>
public sealed class TxLogPruningTests : IDisposable
{
    private const long MaxBytes = 8 * 1024;
    private const long TargetBytes = 4 * 1024;
    private readonly SyncTestHost _host = new(ringCapacity: 16, writerOptions: new TxWriterOptions { HistoryMaxBytes = MaxBytes, HistoryTargetBytes = TargetBytes });
    private readonly uint _client;

    public TxLogPruningTests()
    {
        _client = _host.Login("phone");
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_log_under_the_limit_is_not_pruned()
    {
        await CommitAsync(1, 3);

        Assert.Equal(1ul, _host.Feed.RetainedFrom);
        Assert.True(_host.Feed.CanCatchUpFrom(0));
        Assert.Equal(3, _host.Count("SELECT count(*) FROM txlog"));
    }

    [Fact]
    public async Task Past_the_maximum_the_oldest_entries_go_down_to_the_target_and_clients_behind_them_need_a_full_sync()
    {
        await CommitAsync(1, 60);

        var retainedFrom = _host.Feed.RetainedFrom;
        var logBytes = _host.Count($"SELECT sum(length(ops)) + count(*) * {TxLogPruner.RowOverheadBytes} FROM txlog");
        Assert.True(retainedFrom > 1, "pruned");
        Assert.True(logBytes <= MaxBytes, $"log is {logBytes} bytes, more than the maximum");
        Assert.Equal((long)retainedFrom, _host.Count("SELECT min(position) FROM txlog"));
        Assert.Equal(60, _host.Count("SELECT max(position) FROM txlog"));
        Assert.False(_host.Feed.CanCatchUpFrom(0));
        Assert.False(_host.Feed.CanCatchUpFrom(retainedFrom - 2));
        Assert.True(_host.Feed.CanCatchUpFrom(retainedFrom - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _host.Feed.Read(0, 100, int.MaxValue));
        Assert.Equal(retainedFrom, _host.Feed.Read(retainedFrom - 1, 1, int.MaxValue)[0].Position);
    }

    [Fact]
    public async Task The_retained_start_and_the_head_survive_a_restart()
    {
        await CommitAsync(1, 60);
        var retainedFrom = _host.Feed.RetainedFrom;

        await _host.ReopenAsync();

        Assert.Equal(retainedFrom, _host.Feed.RetainedFrom);
        Assert.Equal(60ul, _host.Feed.Head);
        var next = await _host.SubmitAsync(_client, 61, Put("Task", 61, ("title", new string('x', 200))));
        Assert.Equal(61ul, next.Position);
    }

    private async Task CommitAsync(ulong fromTxId, ulong toTxId)
    {
        for (var txId = fromTxId; txId <= toTxId; txId++)
        {
            // ~300 bytes of ops per TX: 60 of them are well past 8 KB.
            await _host.SubmitAsync(_client, txId, Put("Task", txId, ("title", new string('x', 200))));
        }
    }
}
