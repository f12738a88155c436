using SyncServer.Core.Protocol;
using SyncServer.Engine.Sync;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Sync;

public sealed class TxWriterTests : IDisposable
{
    private readonly SyncTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Applies_a_transaction_and_logs_its_ops_at_position_1()
    {
        var client = _host.Login("phone");
        var put = Put("Task", 5, ("title", "buy milk"));
        var tag = Put("Tag", 9);

        var outcome = await _host.SubmitAsync(client, 1, put, tag, Link(5, 9));

        Assert.Equal(new TxOutcome(TxStatus.Applied, 1, 0, []), outcome with { Corrections = [] });
        Assert.Empty(outcome.Corrections);
        Assert.Equal("buy milk", _host.ReadObject("Task", 5)!["title"]);
        Assert.Equal(2L, _host.Count("SELECT sum(position) FROM objects"));
        var logged = _host.Feed.Read(0, 10, 1 << 20).Single();
        Assert.Equal((1ul, client, 3), (logged.Position, logged.ClientNumber, logged.OpCount));
        Assert.Equal([put, tag, Link(5, 9)], Decode(logged), SyncOpComparer.Instance);
        Assert.Equal(1L, _host.Count("SELECT last_tx_id FROM clients WHERE number = 1"));
        Assert.Equal(1L, _host.Count($"SELECT client_tx_id FROM txlog WHERE position = 1 AND client_number = {client}"));
    }

    [Fact]
    public async Task Positions_strictly_increase_in_commit_order_across_concurrent_submitters()
    {
        var clients = Enumerable.Range(0, 8).Select(i => _host.Login($"client-{i}")).ToArray();

        var perClient = await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            var positions = new List<ulong>();
            for (ulong tx = 1; tx <= 25; tx++)
            {
                var id = ((ulong)client << 40) | tx;
                positions.Add((await _host.SubmitAsync(client, tx, Put("Tag", id, ("name", $"tag {id}")))).Position);
            }

            return positions;
        })));

        Assert.All(perClient, positions => Assert.Equal(positions.Order(), positions));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), perClient.SelectMany(p => p).Order());
        var log = _host.Feed.Read(0, 1000, int.MaxValue);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), log.Select(tx => tx.Position));
        Assert.Equal(200ul, _host.Feed.Head);
    }

    [Fact]
    public async Task The_same_client_tx_id_twice_is_a_duplicate_applied_once_also_after_reopen()
    {
        var client = _host.Login("phone");
        var stored = Put("Task", 5, ("title", "first"));
        var first = await _host.SubmitAsync(client, 1, stored);
        var again = await _host.SubmitAsync(client, 1, Put("Task", 5, ("title", "resent")));

        await _host.ReopenAsync();
        var afterReopen = await _host.SubmitAsync(client, 1, Put("Task", 5, ("title", "resent after restart")));
        var third = await _host.SubmitAsync(client, 3, Put("Task", 5, ("title", "third")));
        var older = await _host.SubmitAsync(client, 2, Put("Task", 5, ("title", "older")));

        Assert.Equal((TxStatus.Applied, 1ul), (first.Status, first.Position));
        Assert.Equal((TxStatus.Duplicate, 0ul, 0), (again.Status, again.Position, again.PutConflicts));
        Assert.Equal([stored], again.Corrections, SyncOpComparer.Instance);
        Assert.Equal(TxStatus.Duplicate, afterReopen.Status);
        Assert.Equal((TxStatus.Applied, 2ul), (third.Status, third.Position));
        Assert.Equal(TxStatus.Duplicate, older.Status);
        Assert.Equal("third", _host.ReadObject("Task", 5)!["title"]);
        Assert.Equal(2L, _host.Count("SELECT count(*) FROM txlog"));
        Assert.Equal(2, _host.Writer.DuplicateCount);
    }

    [Fact]
    public async Task A_duplicate_carries_the_stored_state_of_every_object_and_link_it_touches_as_a_correction()
    {
        var (phone, laptop) = (_host.Login("phone"), _host.Login("laptop"));
        await _host.SubmitAsync(phone, 1, Put("Task", 5, ("title", "mine")), Put("Task", 6), Put("Tag", 9), Link(5, 9), Remove("Task", 7));
        var winner = Put("Task", 5, ("title", "theirs"));
        await _host.SubmitAsync(laptop, 1, winner, Remove("Task", 6), Link(5, 9, linked: false));

        // The phone's ACK was lost; it resends TX 1 and learns that every change of it was overtaken.
        var resent = await _host.SubmitAsync(phone, 1, Put("Task", 5, ("title", "mine")), Put("Task", 6), Put("Tag", 9), Link(5, 9), Remove("Task", 7), Put("Task", 5));

        Assert.Equal((TxStatus.Duplicate, 0ul), (resent.Status, resent.Position));
        Assert.Equal(
            [winner, Remove("Task", 6), Put("Tag", 9), Link(5, 9, linked: false), Remove("Task", 7)],
            resent.Corrections,
            SyncOpComparer.Instance);
    }

    [Fact]
    public async Task A_transaction_completes_only_once_its_data_is_readable_from_a_fresh_connection()
    {
        var client = _host.Login("phone");
        var submissions = Enumerable.Range(1, 50).Select(async i =>
        {
            var outcome = await _host.SubmitAsync(client, (ulong)i, Put("Tag", (ulong)i, ("name", $"tag {i}")));
            // Right at completion, before anything else happens: a new connection must already see it.
            return (outcome.Position, Seen: _host.Count($"SELECT count(*) FROM objects WHERE id = {i}"));
        }).ToList();

        var results = await Task.WhenAll(submissions);

        Assert.All(results, r => Assert.Equal(1L, r.Seen));
    }

    [Fact]
    public async Task Group_commit_applies_200_concurrent_submissions_in_far_fewer_commits()
    {
        var clients = Enumerable.Range(0, 200).Select(i => _host.Login($"client-{i}")).ToArray();
        var before = _host.Writer.CommitCount;
        // Another write holds the database while the 200 arrive, as a slow fsync would.
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = Task.Run(() => _host.Database.Write((_, _) =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return 0;
        }));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));

        var submitted = clients.Select(c => _host.SubmitAsync(c, 1, Put("Tag", (ulong)c << 40 | 1, ("name", "x")))).ToList();
        release.Set();
        var outcomes = await Task.WhenAll(submitted);
        await blocker;

        var commits = _host.Writer.CommitCount - before;
        Assert.All(outcomes, o => Assert.Equal(TxStatus.Applied, o.Status));
        Assert.Equal(200L, _host.Count("SELECT count(*) FROM txlog"));
        // At most: one batch the consumer had already taken before the others queued, then the rest together.
        Assert.InRange(commits, 1, 2);
    }

    [Fact]
    public async Task A_failing_transaction_is_undone_alone_and_the_rest_of_its_batch_commits()
    {
        var client = _host.Login("phone");
        var first = _host.SubmitAsync(client, 1, Put("Tag", 1, ("name", "one")));
        var unknownClient = _host.SubmitAsync(77, 1, Put("Tag", 2, ("name", "two")));
        var third = _host.SubmitAsync(client, 2, Put("Tag", 3, ("name", "three")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => unknownClient);

        Assert.Equal("There is no client number 77; log the client in first", error.Message);
        var positions = new[] { (await first).Position, (await third).Position };
        Assert.Equal([1ul, 2ul], positions);
        Assert.Null(_host.ReadObject("Tag", 2));
        Assert.Equal(2L, _host.Count("SELECT count(*) FROM objects"));
    }

    [Fact]
    public async Task A_transaction_that_changes_nothing_is_applied_without_a_txlog_entry()
    {
        var client = _host.Login("phone");

        var outcome = await _host.SubmitAsync(client, 1, Link(5, 9, linked: false));

        Assert.Equal(new TxOutcome(TxStatus.Applied, 0, 0, []), outcome);
        Assert.Equal(0L, _host.Count("SELECT count(*) FROM txlog"));
        Assert.Equal(1L, _host.Count("SELECT last_tx_id FROM clients"));
        Assert.Equal(0ul, _host.Feed.Head);
    }

    [Fact]
    public async Task Stop_applies_everything_queued_and_then_refuses_new_transactions()
    {
        var client = _host.Login("phone");
        var queued = Enumerable.Range(1, 100)
            .Select(i => _host.Writer.SubmitAsync(
                new TxSubmission(client, new ClientTx((ulong)i, [Put("Tag", (ulong)i)]), TestModel), CancellationToken.None))
            .ToList();

        await _host.Writer.StopAsync();

        Assert.All(queued, t => Assert.Equal(TxStatus.Applied, t.Result.Status));
        Assert.Equal(100L, _host.Count("SELECT count(*) FROM objects"));
        var late = _host.Writer.SubmitAsync(new TxSubmission(client, new ClientTx(101, [Put("Tag", 101)]), TestModel), CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => late);
        Assert.Equal("The transaction writer is stopped; the transaction was not applied", error.Message);
    }

    [Fact]
    public async Task Server_transactions_with_client_number_0_are_logged_without_a_duplicate_check()
    {
        var a = await _host.SubmitAsync(0, 1, Put("Tag", 1, ("name", "a")));
        var b = await _host.SubmitAsync(0, 1, Put("Tag", 1, ("name", "b")));

        Assert.Equal((1ul, 2ul), (a.Position, b.Position));
        Assert.Equal(0u, _host.Feed.Read(0, 10, 1000)[1].ClientNumber);
    }

    [Fact]
    public async Task A_batch_over_the_size_limit_fails_whole_and_the_writer_goes_on_without_a_gap_in_positions()
    {
        using var host = new SyncTestHost(maxSizeBytes: 256 * 1024);
        var client = host.Login("phone");
        await host.SubmitAsync(client, 1, Put("Tag", 1, ("name", "small")));

        var tooBig = host.SubmitAsync(client, 2, Put("Tag", 2, ("name", new string('x', 400 * 1024))));

        await Assert.ThrowsAsync<SyncServer.Engine.Storage.DatabaseFullException>(() => tooBig);
        var next = await host.SubmitAsync(client, 2, Put("Tag", 3, ("name", "fits")));
        Assert.Equal((TxStatus.Applied, 2ul), (next.Status, next.Position));
        Assert.Null(host.ReadObject("Tag", 2));
        Assert.Equal([1ul, 2ul], host.Feed.Read(0, 10, int.MaxValue).Select(tx => tx.Position));
    }

    [Fact]
    public async Task A_cancelled_wait_ends_at_once_and_a_resend_is_applied_at_most_once()
    {
        var client = _host.Login("phone");
        using var cancel = new CancellationTokenSource();
        var submission = new TxSubmission(client, new ClientTx(1, [Put("Tag", 1)]), TestModel);
        var waiting = _host.Writer.SubmitAsync(submission, cancel.Token);

        await cancel.CancelAsync();
        try
        {
            await waiting;
        }
        catch (OperationCanceledException)
        {
            // Either it was cancelled before the writer took it, or it had already been applied.
        }

        var resent = await _host.Writer.SubmitAsync(submission, CancellationToken.None);
        Assert.Equal(1L, _host.Count("SELECT count(*) FROM txlog"));
        Assert.Equal(resent.Status == TxStatus.Applied ? 1ul : 0ul, resent.Position);
    }

    internal static List<SyncOp> Decode(StoredTx tx)
    {
        var reader = new ProtocolReader(tx.EncodedOps.Span);
        var ops = OpCodec.Read(ref reader, int.MaxValue);
        reader.ExpectEnd("txlog ops");
        return ops;
    }
}
