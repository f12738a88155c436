using SyncServer.Client.Store;
using SyncServer.Client.Tests.Infrastructure;
using SyncServer.Core.Protocol;

namespace SyncServer.Client.Tests;

/// <summary>Local writes without a server: each is one local transaction holding the change and its queued TX.</summary>
public sealed class OutboxTests
{
    [Fact]
    public async Task A_put_is_stored_and_queued_together_and_both_survive_a_restart()
    {
        using var dir = new TempDirectory();
        ulong id;
        await using (var client = new SyncClient(TestModels.Options(dir.Path)))
        {
            id = client.Box("Task").Put(new Dictionary<string, object?> { ["title"] = "Buy milk", ["done"] = false });
            Assert.Equal(1UL, id);
            Assert.Equal(1, client.OutboxCount);
        }

        await using (var reopened = new SyncClient(TestModels.Options(dir.Path)))
        {
            Assert.Equal("Buy milk", reopened.Box("Task").Get(id)!["title"]);
            Assert.Equal(1, reopened.OutboxCount);
        }

        var ops = ReadOutbox(dir.Path);
        var put = Assert.IsType<PutOp>(Assert.Single(Assert.Single(ops)));
        Assert.Equal((TestModels.TaskId, id), (put.EntityId, put.ObjectId));
    }

    [Fact]
    public async Task A_transaction_that_throws_leaves_neither_the_objects_nor_a_queued_tx()
    {
        using var dir = new TempDirectory();
        await using var client = new SyncClient(TestModels.Options(dir.Path));
        var tasks = client.Box("Task");

        Assert.Throws<InvalidOperationException>(() => client.RunInTransaction(() =>
        {
            tasks.Put(new Dictionary<string, object?> { ["title"] = "a" });
            tasks.Put(new Dictionary<string, object?> { ["title"] = "b" });
            throw new InvalidOperationException("app failure");
        }));

        Assert.Equal(0, tasks.Count());
        Assert.Equal(0, client.OutboxCount);
    }

    [Fact]
    public async Task RunInTransaction_makes_several_writes_one_tx()
    {
        using var dir = new TempDirectory();
        await using (var client = new SyncClient(TestModels.Options(dir.Path)))
        {
            var tasks = client.Box("Task");
            var tags = client.Box("Tag");
            client.RunInTransaction(() =>
            {
                var task = tasks.Put(new Dictionary<string, object?> { ["title"] = "a" });
                var tag = tags.Put(new Dictionary<string, object?> { ["name"] = "home" });
                client.Links("Task", "tags").Add(task, tag);
                tasks.Remove(task);
            });
            Assert.Equal(1, client.OutboxCount);
        }

        var tx = Assert.Single(ReadOutbox(dir.Path));
        Assert.Collection(tx,
            op => Assert.IsType<PutOp>(op),
            op => Assert.IsType<PutOp>(op),
            op => Assert.IsType<LinkOp>(op),
            op => Assert.IsType<RemoveOp>(op));
    }

    [Fact]
    public async Task Every_write_outside_a_transaction_is_its_own_tx_in_order()
    {
        using var dir = new TempDirectory();
        await using (var client = new SyncClient(TestModels.Options(dir.Path)))
        {
            var tasks = client.Box("Task");
            var id = tasks.Put(new Dictionary<string, object?> { ["title"] = "a" });
            tasks.Put(new Dictionary<string, object?> { ["id"] = id, ["title"] = "b" });
            Assert.True(tasks.Remove(id));
            Assert.False(tasks.Remove(id));
            Assert.Equal(3, client.OutboxCount);
        }

        Assert.Equal(3, ReadOutbox(dir.Path).Count);
    }

    [Fact]
    public async Task Writes_to_an_entity_without_SYNC_ENABLED_stay_local()
    {
        using var dir = new TempDirectory();
        await using var client = new SyncClient(TestModels.Options(dir.Path));
        var drafts = client.Box("Draft");
        var id = drafts.Put(new Dictionary<string, object?> { ["text"] = "private" });

        Assert.Equal("private", drafts.Get(id)!["text"]);
        Assert.Equal(0, client.OutboxCount);
    }

    [Fact]
    public async Task Links_are_kept_locally_and_removed_with_their_object()
    {
        using var dir = new TempDirectory();
        await using var client = new SyncClient(TestModels.Options(dir.Path));
        var task = client.Box("Task").Put(new Dictionary<string, object?> { ["title"] = "a" });
        var tag1 = client.Box("Tag").Put(new Dictionary<string, object?> { ["name"] = "x" });
        var tag2 = client.Box("Tag").Put(new Dictionary<string, object?> { ["name"] = "y" });
        var links = client.Links("Task", "tags");

        Assert.True(links.Add(task, tag1));
        Assert.False(links.Add(task, tag1));
        Assert.True(links.Add(task, tag2));
        Assert.Equal([tag1, tag2], links.Get(task));
        Assert.Equal([task], links.GetBacklinks(tag2));
        Assert.True(links.Remove(task, tag1));
        client.Box("Tag").Remove(tag2);

        Assert.Empty(links.Get(task));
    }

    [Fact]
    public async Task Unknown_entities_and_properties_are_refused_with_their_names()
    {
        using var dir = new TempDirectory();
        await using var client = new SyncClient(TestModels.Options(dir.Path));

        Assert.Contains("\"Nope\"", Assert.Throws<ArgumentException>(() => client.Box("Nope")).Message, StringComparison.Ordinal);
        var e = Assert.Throws<ArgumentException>(() => client.Box("Task").Put(new Dictionary<string, object?> { ["colour"] = 1 }));
        Assert.Contains("\"colour\"", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.OutboxCount);
    }

    [Fact]
    public async Task Query_filters_by_predicate_in_id_order()
    {
        using var dir = new TempDirectory();
        await using var client = new SyncClient(TestModels.Options(dir.Path));
        var tasks = client.Box("Task");
        foreach (var (title, done) in new[] { ("a", true), ("b", false), ("c", true) })
        {
            tasks.Put(new Dictionary<string, object?> { ["title"] = title, ["done"] = done });
        }

        var done2 = tasks.Query(t => t["done"] is true);
        Assert.Equal(["a", "c"], done2.Select(t => t["title"]));
        Assert.Equal(3, tasks.GetAll().Count);
    }

    internal static List<List<SyncOp>> ReadOutbox(string directory)
    {
        using var store = new LocalStore(directory);
        return [.. store.ReadOutbox(0, int.MaxValue).Select(tx =>
        {
            var reader = new ProtocolReader(tx.Ops);
            return OpCodec.Read(ref reader, int.MaxValue);
        })];
    }
}
