using SyncServer.Core.Model;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Sync;
using SyncServer.Tests.TestSupport;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Sync;

/// <summary>The rules of docs/conflicts.md, one test each. Note has SYNC_PRECEDENCE and SYNC_CLOCK, Event only SYNC_CLOCK,
/// Task neither.</summary>
public sealed class ConflictTests : IDisposable
{
    private readonly SyncTestHost _host = new();
    private readonly uint _a;
    private readonly uint _b;
    private ulong _txA;
    private ulong _txB;

    public ConflictTests()
    {
        _a = _host.Login("device-a");
        _b = _host.Login("device-b");
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Without_clock_or_precedence_the_last_write_received_wins_whole()
    {
        await FromA(Put("Task", 5, ("title", "from a"), ("notes", "a's notes")));
        var outcome = await FromB(Put("Task", 5, ("title", "from b")));

        Assert.Equal(new TxOutcome(TxStatus.Applied, 2, 0, []), outcome);
        var stored = _host.ReadObject("Task", 5)!;
        Assert.Equal("from b", stored["title"]);
        Assert.False(stored.ContainsKey("notes"));
    }

    [Fact]
    public async Task Higher_precedence_wins_even_against_a_higher_clock()
    {
        var stored = Note(7, "important", precedence: 2, clock: 10);
        await FromA(stored);

        var outcome = await FromB(Note(7, "newer but lower", precedence: 1, clock: 20));

        Assert.Equal((TxStatus.Applied, 0ul, 1), (outcome.Status, outcome.Position, outcome.PutConflicts));
        Assert.Equal([stored], outcome.Corrections, SyncOpComparer.Instance);
        Assert.Equal("important", _host.ReadObject("Note", 7)!["text"]);
        Assert.Equal(1L, _host.Count("SELECT count(*) FROM txlog"));
        Assert.Equal(1, _host.Writer.PutConflictCount);
    }

    [Fact]
    public async Task Higher_precedence_of_the_incoming_put_wins_against_a_higher_stored_clock()
    {
        await FromA(Note(7, "stored", precedence: 1, clock: 50));

        var outcome = await FromB(Note(7, "promoted", precedence: 2, clock: 1));

        Assert.Equal((2ul, 0), (outcome.Position, outcome.PutConflicts));
        Assert.Equal("promoted", _host.ReadObject("Note", 7)!["text"]);
    }

    [Fact]
    public async Task With_equal_precedence_the_higher_clock_wins()
    {
        await FromA(Note(7, "at 10", precedence: 1, clock: 10));

        var older = await FromB(Note(7, "at 9", precedence: 1, clock: 9));
        var newer = await FromB(Note(7, "at 11", precedence: 1, clock: 11));

        Assert.Equal(1, older.PutConflicts);
        Assert.Equal("at 10", Text(Assert.IsType<PutOp>(Assert.Single(older.Corrections))));
        Assert.Equal(0, newer.PutConflicts);
        Assert.Equal("at 11", _host.ReadObject("Note", 7)!["text"]);
    }

    [Fact]
    public async Task A_clock_only_entity_compares_clocks()
    {
        await FromA(Event(3, "at 10", clock: 10));

        var older = await FromB(Event(3, "at 5", clock: 5));

        Assert.Equal(1, older.PutConflicts);
        Assert.Equal("at 10", _host.ReadObject("Event", 3)!["name"]);
    }

    [Fact]
    public async Task With_all_values_equal_the_last_write_received_wins()
    {
        await FromA(Note(7, "first", precedence: 1, clock: 10));

        var outcome = await FromB(Note(7, "second", precedence: 1, clock: 10));

        Assert.Equal(new TxOutcome(TxStatus.Applied, 2, 0, []), outcome);
        Assert.Equal("second", _host.ReadObject("Note", 7)!["text"]);
    }

    [Fact]
    public async Task A_remove_with_an_older_clock_loses_and_the_sender_gets_the_object_back()
    {
        var stored = Note(7, "edited later", precedence: 0, clock: 20);
        await FromA(stored);

        var outcome = await FromB(Remove("Note", 7, clock: 15));

        Assert.Equal((0ul, 0), (outcome.Position, outcome.PutConflicts));
        Assert.Equal([stored], outcome.Corrections, SyncOpComparer.Instance);
        Assert.NotNull(_host.ReadObject("Note", 7));
        Assert.Equal(0L, _host.Count("SELECT count(*) FROM tombstones"));
    }

    [Fact]
    public async Task A_remove_with_a_newer_or_equal_clock_applies_and_its_tombstone_keeps_the_objects_precedence()
    {
        await FromA(Note(7, "doomed", precedence: 3, clock: 20));

        var outcome = await FromB(Remove("Note", 7, clock: 20));

        Assert.Equal(new TxOutcome(TxStatus.Applied, 2, 0, []), outcome);
        Assert.Null(_host.ReadObject("Note", 7));
        Assert.Equal(
            (2L, 3L, 20L),
            _host.QueryFresh(c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT position, precedence, clock FROM tombstones";
                using var reader = command.ExecuteReader();
                reader.Read();
                return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }));
        Assert.Equal([Remove("Note", 7, clock: 20)], TxWriterTests.Decode(_host.Feed.Read(1, 10, 1000).Single()));
    }

    [Fact]
    public async Task A_put_older_than_the_tombstone_loses_and_the_sender_is_told_of_the_remove()
    {
        await FromA(Note(7, "x", precedence: 0, clock: 10));
        await FromA(Remove("Note", 7, clock: 30));

        var outcome = await FromB(Note(7, "edited offline", precedence: 0, clock: 25));

        Assert.Equal(1, outcome.PutConflicts);
        Assert.Equal([Remove("Note", 7, clock: 30)], outcome.Corrections);
        Assert.Null(_host.ReadObject("Note", 7));
    }

    [Fact]
    public async Task A_put_with_higher_precedence_than_the_tombstone_recreates_the_object()
    {
        await FromA(Note(7, "x", precedence: 1, clock: 10));
        await FromA(Remove("Note", 7, clock: 30));

        var outcome = await FromB(Note(7, "rescued", precedence: 2, clock: 25));

        Assert.Equal((3ul, 0), (outcome.Position, outcome.PutConflicts));
        Assert.Equal("rescued", _host.ReadObject("Note", 7)!["text"]);
        Assert.Equal(0L, _host.Count("SELECT count(*) FROM tombstones"));
    }

    [Fact]
    public async Task Without_a_clock_a_remove_always_applies_and_a_later_put_recreates_the_object()
    {
        await FromA(Put("Task", 5, ("title", "x")));
        var removed = await FromB(Remove("Task", 5, clock: 0));
        var recreated = await FromA(Put("Task", 5, ("title", "back")));

        Assert.Equal((2ul, 3ul), (removed.Position, recreated.Position));
        Assert.Equal("back", _host.ReadObject("Task", 5)!["title"]);
    }

    [Fact]
    public async Task A_remove_of_an_object_the_server_never_had_logs_nothing_but_a_later_older_put_loses_to_it()
    {
        var remove = await FromA(Remove("Event", 3, clock: 40));
        var put = await FromB(Event(3, "late put", clock: 35));

        Assert.Equal(new TxOutcome(TxStatus.Applied, 0, 0, []), remove);
        Assert.Equal(1, put.PutConflicts);
        Assert.Equal([Remove("Event", 3, clock: 40)], put.Corrections);
        Assert.Equal(0L, _host.Count("SELECT count(*) FROM txlog"));
    }

    [Fact]
    public async Task Links_are_idempotent_and_unlinking_a_missing_link_changes_nothing()
    {
        await _host.SubmitAsync(0, 1, Put("Task", 5), Put("Tag", 9));
        var first = await FromA(Link(5, 9));
        var again = await FromB(Link(5, 9));
        var unlink = await FromB(Link(5, 9, linked: false));
        var unlinkAgain = await FromA(Link(5, 9, linked: false));

        Assert.Equal([2ul, 0ul, 3ul, 0ul], [first.Position, again.Position, unlink.Position, unlinkAgain.Position]);
        Assert.Equal(0L, _host.Count("SELECT count(*) FROM links"));
    }

    [Fact]
    public async Task A_remove_drops_the_objects_links_as_source_and_target_without_logging_unlinks()
    {
        await FromA(Put("Task", 5), Put("Task", 6), Put("Tag", 9), Put("Tag", 10), Link(5, 9), Link(5, 10), Link(6, 9));

        var removeTag = await FromB(Remove("Tag", 9));
        var removeTask = await FromB(Remove("Task", 5));

        Assert.Equal(0L, _host.Count("SELECT count(*) FROM links"));
        Assert.Equal([Remove("Tag", 9)], TxWriterTests.Decode(_host.Feed.Read(removeTag.Position - 1, 1, 1000).Single()));
        Assert.Equal([Remove("Task", 5)], TxWriterTests.Decode(_host.Feed.Read(removeTask.Position - 1, 1, 1000).Single()));
    }

    [Fact]
    public async Task A_link_to_a_removed_object_is_not_stored()
    {
        await FromA(Put("Task", 5), Put("Tag", 9));
        await FromA(Remove("Tag", 9));

        var outcome = await FromB(Link(5, 9));

        Assert.Equal(0ul, outcome.Position);
        Assert.Equal(0L, _host.Count("SELECT count(*) FROM links"));
    }

    [Fact]
    public async Task A_link_whose_source_or_target_was_never_stored_is_dropped_and_the_sender_gets_an_UNLINK()
    {
        await FromA(Put("Task", 5), Put("Tag", 8));

        var toNothing = await FromB(Link(5, 9));
        var fromNothing = await FromB(Link(6, 8));

        Assert.Equal((TxStatus.Applied, 0ul, 0), (toNothing.Status, toNothing.Position, toNothing.PutConflicts));
        Assert.Equal([Link(5, 9, linked: false)], toNothing.Corrections, SyncOpComparer.Instance);
        Assert.Equal([Link(6, 8, linked: false)], fromNothing.Corrections, SyncOpComparer.Instance);
        Assert.Equal(0L, _host.Count("SELECT count(*) FROM links"));
        Assert.Equal(1L, _host.Count("SELECT count(*) FROM txlog"));
        using var snapshot = _host.Snapshots.Open(TestModel);
        Assert.DoesNotContain(snapshot.Batches.SelectMany(b => b), op => op is LinkOp);
    }

    [Fact]
    public async Task A_link_to_an_object_put_earlier_in_the_same_or_an_earlier_transaction_is_stored()
    {
        await FromA(Put("Task", 5));

        var outcome = await FromA(Link(5, 9), Put("Tag", 9), Link(5, 9), Put("Tag", 10));
        var later = await FromB(Link(5, 10));

        Assert.Equal([Put("Tag", 9), Link(5, 9), Put("Tag", 10)], TxWriterTests.Decode(_host.Feed.Read(outcome.Position - 1, 1, 1000).Single()), SyncOpComparer.Instance);
        Assert.Empty(outcome.Corrections);
        Assert.Empty(later.Corrections);
        Assert.Equal(2L, _host.Count("SELECT count(*) FROM links"));
    }

    [Fact]
    public async Task Within_one_transaction_later_ops_see_earlier_ones()
    {
        var outcome = await FromA(Put("Task", 5, ("title", "v1")), Put("Task", 5, ("title", "v2")), Remove("Task", 5), Put("Task", 5, ("title", "v3")));

        Assert.Equal(4, _host.Feed.Read(0, 1, 1000).Single().OpCount);
        Assert.Equal(1ul, outcome.Position);
        Assert.Equal("v3", _host.ReadObject("Task", 5)!["title"]);
    }

    [Fact]
    public async Task A_client_on_an_older_schema_version_keeps_the_properties_it_does_not_know()
    {
        var newerJson = BuildTestModel();
        newerJson.AddProperty("Task", "estimate", PropertyType.Int);
        using var host = new SyncTestHost(newerJson.ToJsonString());
        var newer = host.Schema.Current!.Model;
        var older = TestModel;
        var newClient = host.Login("new");
        var oldClient = host.Login("old");
        await host.SubmitAsync(newClient, 1, newer, Put(newer, "Task", 5, ("title", "plan"), ("notes", "n"), ("estimate", 8)));

        var outcome = await host.SubmitAsync(oldClient, 1, older, Put(older, "Task", 5, ("title", "plan v2")));

        var stored = host.ReadObject("Task", 5, newer)!;
        Assert.Equal(("plan v2", 8), (stored["title"], stored["estimate"]));
        Assert.False(stored.ContainsKey("notes"));
        var logged = Assert.IsType<PutOp>(TxWriterTests.Decode(host.Feed.Read(outcome.Position - 1, 1, 1 << 20).Single()).Single());
        Assert.Equal(8, Core.Objects.ObjectCodec.Decode(newer.FindEntity("Task")!, logged.Data.Span)[newer.FindEntity("Task")!.FindProperty("estimate")!.Id.Id]);
    }

    private Task<TxOutcome> FromA(params SyncOp[] ops) => _host.SubmitAsync(_a, ++_txA, ops);

    private Task<TxOutcome> FromB(params SyncOp[] ops) => _host.SubmitAsync(_b, ++_txB, ops);

    private static PutOp Note(ulong id, string text, ulong precedence, ulong clock) =>
        Put("Note", id, ("text", text), ("precedence", precedence), ("clock", clock));

    private static PutOp Event(ulong id, string name, ulong clock) => Put("Event", id, ("name", name), ("clock", clock));

    private static string? Text(PutOp put)
    {
        var note = Entity("Note");
        return Core.Objects.ObjectCodec.Decode(note, put.Data.Span)[note.FindProperty("text")!.Id.Id] as string;
    }
}
