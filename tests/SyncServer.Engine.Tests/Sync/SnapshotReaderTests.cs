using SyncServer.Core.Protocol;
using SyncServer.Engine.Sync;
using SyncServer.Tests.TestSupport;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Sync;

public sealed class SnapshotReaderTests : IDisposable
{
    private readonly SyncTestHost _host = new();
    private readonly uint _client;
    private ulong _tx;

    public SnapshotReaderTests()
    {
        _client = _host.Login("phone");
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_snapshot_has_every_object_then_every_link_at_its_position_and_no_removed_objects()
    {
        var task = Put("Task", 5, ("title", "t"));
        var tag = Put("Tag", 9, ("name", "red"));
        await Submit(task, tag, Put("Tag", 10), Link(5, 9));
        await Submit(Remove("Tag", 10));

        using var snapshot = _host.Snapshots.Open(TestModel);
        var ops = snapshot.Batches.SelectMany(b => b).ToList();

        Assert.Equal(2ul, snapshot.Position);
        // Objects in entity UID order (Tag's UID is lower than Task's), then by ID.
        Assert.Equal([tag, task, Link(5, 9)], ops, SyncOpComparer.Instance);
    }

    [Fact]
    public async Task A_write_committed_while_the_snapshot_is_enumerated_is_not_seen()
    {
        for (ulong i = 1; i <= 10; i++)
        {
            await Submit(Put("Tag", i, ("name", "before")));
        }

        using var snapshot = new SyncServer.Engine.Sync.SnapshotReader(_host.Database, maxOpsPerBatch: 3).Open(TestModel);
        var batches = new List<IReadOnlyList<SyncOp>>();
        foreach (var batch in snapshot.Batches)
        {
            if (batches.Count == 0)
            {
                await Submit(Put("Tag", 11, ("name", "during")), Put("Tag", 2, ("name", "changed")), Remove("Tag", 3));
            }

            batches.Add(batch);
        }

        Assert.Equal(10ul, snapshot.Position);
        Assert.Equal([3, 3, 3, 1], batches.Select(b => b.Count));
        var ops = batches.SelectMany(b => b).Cast<PutOp>().ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), ops.Select(op => op.ObjectId));
        Assert.Equal([Put("Tag", 2, ("name", "before"))], ops.Where(op => op.ObjectId == 2), SyncOpComparer.Instance);
        Assert.Equal(11ul, _host.Feed.Head);
    }

    [Fact]
    public async Task Batches_are_bounded_by_bytes_and_a_larger_object_still_gets_a_batch()
    {
        await Submit(Put("Tag", 1, ("name", new string('a', 300))), Put("Tag", 2, ("name", "b")), Put("Tag", 3, ("name", new string('c', 1000))));

        using var snapshot = new SyncServer.Engine.Sync.SnapshotReader(_host.Database, maxBytesPerBatch: 500).Open(TestModel);

        Assert.Equal([[1ul, 2ul], [3ul]], snapshot.Batches.Select(b => b.Cast<PutOp>().Select(p => p.ObjectId).ToList()).ToList());
    }

    [Fact]
    public async Task Entities_the_clients_model_does_not_have_are_left_out()
    {
        await Submit(Put("Note", 1, ("text", "n")), Put("Tag", 2));
        var withoutNote = BuildTestModel();
        withoutNote.Entities().Remove(withoutNote.Entity("Note"));
        var model = SyncServer.Tests.TestSupport.ModelJson.Load(withoutNote);

        using var snapshot = _host.Snapshots.Open(model);

        Assert.Equal([2ul], snapshot.Batches.SelectMany(b => b).Cast<PutOp>().Select(p => p.ObjectId));
    }

    private Task<TxOutcome> Submit(params SyncOp[] ops) => _host.SubmitAsync(_client, ++_tx, ops);
}
