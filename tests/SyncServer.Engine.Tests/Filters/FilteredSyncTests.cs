using SyncServer.Core.Protocol;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Sync;
using SyncServer.Engine.Tests.Sync;
using SyncServer.Tests.TestSupport;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Filters;

/// <summary>
/// Sync filters in the writer and the deliveries (docs/filters.md): the write check refuses a TX as a whole; the
/// before-images turn a put that moves an object out of a client's filter into a REMOVE for that client only; the filter
/// index serves full syncs and follows every change; a model that would break a filter is refused.
/// Task.notes plays the owner, Task.done the "shared" flag.
/// </summary>
public sealed class FilteredSyncTests : IDisposable
{
    private const string Expression = "notes == $auth.sub OR done == true";

    private readonly SyncTestHost _host = new(syncFilters: new Dictionary<string, string> { ["Task"] = Expression });

    private ulong _serverTxId;

    public void Dispose() => _host.Dispose();

    // The server's own TXs (client number 0): not checked against any filter.
    private Task<TxOutcome> ServerAsync(params SyncOp[] ops) => _host.SubmitAsync(0, ++_serverTxId, ops);

    [Fact]
    public async Task A_client_writes_its_own_objects_and_shared_ones()
    {
        var alice = _host.Login("alice");

        var own = await _host.SubmitAsync(alice, 1, TestModel, _host.FiltersOf("alice"), Put("Task", 1, ("notes", "alice"), ("title", "mine")));
        await ServerAsync( Put("Task", 2, ("notes", "bob"), ("done", true)));
        var shared = await _host.SubmitAsync(alice, 2, TestModel, _host.FiltersOf("alice"), Put("Task", 2, ("notes", "bob"), ("done", true), ("title", "edited")));

        Assert.Equal((TxStatus.Applied, TxStatus.Applied), (own.Status, shared.Status));
        Assert.Equal("edited", _host.ReadObject("Task", 2)!["title"]);
    }

    [Fact]
    public async Task A_TX_writing_an_object_the_sender_cannot_see_is_refused_whole_stores_nothing_and_uses_up_its_ID()
    {
        await ServerAsync( Put("Task", 1, ("notes", "bob"), ("title", "bob's")));
        var head = _host.Feed.Head;
        var alice = _host.Login("alice");

        var outcome = await _host.SubmitAsync(alice, 5, TestModel, _host.FiltersOf("alice"),
            Put("Task", 2, ("notes", "alice"), ("title", "fine on its own")),
            Put("Task", 1, ("notes", "alice"), ("title", "taken over")));

        Assert.Equal(TxStatus.Refused, outcome.Status);
        Assert.Equal(("Task", $"operation 1: Task 1 is not visible to this client (sync filter \"{Expression}\")"), outcome.Refusal);
        Assert.Null(_host.ReadObject("Task", 2));
        Assert.Equal("bob's", _host.ReadObject("Task", 1)!["title"]);
        Assert.Equal(head, _host.Feed.Head);
        // What alice may see of what the TX touched: neither object.
        Assert.Equal(["REMOVE 2", "REMOVE 1"], outcome.Corrections.Select(op => $"REMOVE {((RemoveOp)op).ObjectId}"));
        var resent = await _host.SubmitAsync(alice, 5, TestModel, _host.FiltersOf("alice"), Put("Task", 2, ("notes", "alice")));
        Assert.Equal(TxStatus.Duplicate, resent.Status);
        Assert.Equal(1, _host.Statistics.Current[Engine.Stats.StatNames.FilterRefusals]);
    }

    [Theory]
    [InlineData("put", "operation 0: Task 3 as written does not match this client's filter")]
    [InlineData("remove", "operation 0: Task 4 is not visible to this client")]
    [InlineData("link", "operation 0: LINK from Task 4, which is not visible to this client")]
    public async Task Writes_outside_the_senders_filter_are_refused_naming_the_operation(string write, string expected)
    {
        await ServerAsync( Put("Task", 4, ("notes", "bob")), Put("Tag", 9, ("name", "t")));
        var alice = _host.Login("alice");
        SyncOp op = write switch
        {
            "put" => Put("Task", 3, ("notes", "bob")),
            "remove" => Remove("Task", 4),
            _ => Link(4, 9),
        };

        var outcome = await _host.SubmitAsync(alice, 1, TestModel, _host.FiltersOf("alice"), op);

        Assert.Equal(TxStatus.Refused, outcome.Status);
        Assert.StartsWith(expected, outcome.Refusal!.Value.Reason, StringComparison.Ordinal);
        Assert.NotNull(_host.ReadObject("Task", 4));
    }

    [Fact]
    public async Task A_put_that_moves_an_object_to_another_owner_reaches_the_old_owner_as_REMOVE_the_new_one_as_PUT_and_nobody_else()
    {
        await ServerAsync( Put("Task", 1, ("notes", "alice"), ("title", "handover")));
        await ServerAsync( Put("Task", 1, ("notes", "bob"), ("title", "handover")));
        var moved = _host.Feed.Read(_host.Feed.Head - 1, 10, 1 << 20).Single();
        var filteredOut = 0;

        var toAlice = moved.Delivery.For(_host.FiltersOf("alice"), ref filteredOut);
        var toBob = moved.Delivery.For(_host.FiltersOf("bob"), ref filteredOut);
        var toCarol = moved.Delivery.For(_host.FiltersOf("carol"), ref filteredOut);

        Assert.Equal([new RemoveOp(Entity("Task").Id.Id, 1, 0)], toAlice);
        Assert.Null(toBob); // the put as it is
        Assert.Empty(toCarol!); // she never saw it: not even a REMOVE
        Assert.Equal(2, filteredOut);
    }

    [Fact]
    public async Task Before_images_outlive_a_restart_in_the_txlog()
    {
        await ServerAsync( Put("Task", 1, ("notes", "alice")));
        await ServerAsync( Remove("Task", 1));
        await _host.ReopenAsync();
        var removal = _host.Feed.Read(_host.Feed.Head - 1, 10, 1 << 20).Single();
        var filteredOut = 0;

        Assert.Null(removal.Delivery.For(_host.FiltersOf("alice"), ref filteredOut));
        Assert.Empty(removal.Delivery.For(_host.FiltersOf("bob"), ref filteredOut)!);
    }

    [Fact]
    public async Task A_full_sync_reads_the_filter_index_and_the_index_follows_every_change()
    {
        await ServerAsync(
            Put("Task", 1, ("notes", "alice")), Put("Task", 2, ("notes", "alice")), Put("Task", 3, ("notes", "bob")),
            Put("Task", 4, ("notes", "carol"), ("done", true)), Put("Tag", 9, ("name", "t")), Link(2, 9), Link(3, 9));

        Assert.Equal(["put Task 1", "put Task 2", "put Task 4", "put Tag 9", "link 2>9"], FullSync("alice"));
        Assert.Equal(["put Task 3", "put Task 4", "put Tag 9", "link 3>9"], FullSync("bob"));

        await ServerAsync( Put("Task", 2, ("notes", "bob")), Remove("Task", 1));
        Assert.Equal(["put Task 4", "put Tag 9"], FullSync("alice"));
        Assert.Equal(["put Task 2", "put Task 3", "put Task 4", "put Tag 9", "link 2>9", "link 3>9"], FullSync("bob"));
        // One row per TX and value: notes alice, bob, carol and done false, true from the first TX; notes bob from the
        // second (task 2's new owner). Task 2's alice entry and removed task 1's entries stay, stale: reads check objects.
        Assert.Equal(6, _host.Count("SELECT count(*) FROM filter_index"));
        Assert.Equal(5, _host.Count("SELECT count(*) FROM filter_index WHERE seq = 1"));
    }

    [Fact]
    public async Task Changed_filters_rebuild_the_index_at_the_next_start()
    {
        await ServerAsync(Put("Task", 1, ("notes", "a"), ("priority", 5)), Put("Task", 2, ("notes", "b"), ("priority", 1)));
        Assert.Equal(3, _host.Count("SELECT count(*) FROM filter_index")); // notes a, notes b, done false (both)

        await _host.ReopenAsync(syncFilters: new Dictionary<string, string> { ["Task"] = "priority IN [5, 6]" });

        Assert.Equal(2, _host.Count("SELECT count(*) FROM filter_index WHERE seq < 0")); // priority 5 and 1, by the rebuild
        Assert.Equal(2, _host.Count("SELECT count(*) FROM filter_index"));
        Assert.Equal(["put Task 1"], FullSync("anyone")); // read through the rebuilt index
    }

    [Fact]
    public void A_model_that_would_leave_a_filter_invalid_is_refused_with_the_filters_message()
    {
        var model = ModelJson.Parse(TestModelJson.Value);
        model.RemoveProperty("Task", "notes");

        var refused = Assert.Throws<SchemaIncompatibleException>(() => _host.Schema.Add(model.ToJsonString(), "upload"));

        var conflict = Assert.Single(refused.Conflicts);
        Assert.Equal(SchemaChangeKind.SyncFilterInvalid, conflict.Kind);
        Assert.StartsWith("sync filter of entity Task, at character 1: entity Task has no property 'notes'", conflict.Description, StringComparison.Ordinal);
        Assert.Single(_host.Schema.List());
    }

    private List<string> FullSync(string subject)
    {
        using var snapshot = _host.Snapshots.Open(TestModel, _host.FiltersOf(subject));
        return [.. snapshot.Batches.SelectMany(b => b).Select(op => op switch
        {
            PutOp put => $"put {TestModel.FindEntity(put.EntityId)!.Name} {put.ObjectId}",
            LinkOp link => $"link {link.SourceId}>{link.TargetId}",
            _ => op.ToString()!,
        })];
    }
}
