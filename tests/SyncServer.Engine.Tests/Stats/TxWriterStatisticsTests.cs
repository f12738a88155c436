using Microsoft.Data.Sqlite;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Sync;
using SyncServer.Engine.Tests.Sync;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Stats;

/// <summary>The writer's counters, on the real write path (<see cref="SyncTestHost"/>).</summary>
public sealed class TxWriterStatisticsTests : IDisposable
{
    private readonly SyncTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Applied_transactions_are_counted_by_source_with_their_logged_bytes_and_operations()
    {
        var phone = _host.Login("phone");

        await _host.SubmitAsync(phone, 1, Put("Task", 5, ("title", "buy milk")), Put("Tag", 9), Link(5, 9));
        await _host.SubmitAsync(0, 1, Put("Tag", 1, ("name", "local")));

        var logged = _host.Feed.Read(0, 10, 1 << 20);
        var now = _host.Statistics.Current;
        Assert.Equal((1L, 1L), (now[StatNames.TxsAppliedClient], now[StatNames.TxsAppliedLocal]));
        Assert.Equal(4, now[StatNames.TxsAppliedOperations]);
        Assert.Equal(logged.Sum(tx => (long)tx.EncodedOps.Length), now[StatNames.TxsAppliedBytes]);
        Assert.Equal((0L, 0L), (now[StatNames.TxsDuplicates], now[StatNames.PutConflicts]));
    }

    [Fact]
    public async Task A_resent_transaction_counts_as_a_duplicate_and_a_lost_put_as_a_conflict()
    {
        var (a, b) = (_host.Login("a"), _host.Login("b"));
        await _host.SubmitAsync(a, 1, Put("Note", 7, ("text", "important"), ("precedence", 2ul), ("clock", 10ul)));

        await _host.SubmitAsync(a, 1, Put("Note", 7, ("text", "resent"), ("precedence", 2ul), ("clock", 10ul)));
        var lost = await _host.SubmitAsync(b, 1, Put("Note", 7, ("text", "lower"), ("precedence", 1ul), ("clock", 20ul)));

        Assert.Equal(1, lost.PutConflicts);
        var now = _host.Statistics.Current;
        Assert.Equal((2L, 1L, 1L), (now[StatNames.TxsAppliedClient], now[StatNames.TxsDuplicates], now[StatNames.PutConflicts]));
        Assert.Equal(1, now[StatNames.TxsAppliedOperations]); // the lost put changed nothing
        Assert.Equal((_host.Writer.AppliedCount, _host.Writer.DuplicateCount), (now[StatNames.TxsAppliedClient], now[StatNames.TxsDuplicates]));
    }

    [Fact]
    public async Task The_txlog_size_is_measured_at_start_and_counted_per_commit_as_the_history_limit_counts_it()
    {
        var phone = _host.Login("phone");
        for (ulong tx = 1; tx <= 5; tx++)
        {
            await _host.SubmitAsync(phone, tx, Put("Tag", tx, ("name", new string('x', 100))));
        }

        var measured = _host.QueryFresh(c => Measure(c));
        Assert.Equal(measured, _host.Writer.TxLogBytes);
        Assert.True(measured > 5 * 100);

        await _host.ReopenAsync();

        Assert.Equal(measured, _host.Writer.TxLogBytes);
    }

    [Fact]
    public async Task With_a_history_limit_the_txlog_size_follows_the_pruning()
    {
        using var host = new SyncTestHost(writerOptions: new TxWriterOptions { HistoryMaxBytes = 2_000, HistoryTargetBytes = 1_000 });
        var phone = host.Login("phone");
        for (ulong tx = 1; tx <= 20; tx++)
        {
            await host.SubmitAsync(phone, tx, Put("Tag", tx, ("name", new string('x', 200))));
        }

        Assert.True(host.Feed.RetainedFrom > 1, "pruned");
        Assert.Equal(host.QueryFresh(c => Measure(c)), host.Writer.TxLogBytes);
        Assert.InRange(host.Writer.TxLogBytes, 1, 2_000);
    }

    private static long Measure(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(length(ops)), 0) + count(*) * 32 FROM txlog";
        return (long)command.ExecuteScalar()!;
    }
}
