using SyncServer.Client.Tests.Infrastructure;
using static SyncServer.Client.Tests.Infrastructure.EndToEndHarness;

namespace SyncServer.Client.Tests;

/// <summary>
/// The conflict rules of docs/conflicts.md with two real clients and the real server: client a goes offline and changes
/// an object both hold, client b changes it online, then a comes back. Each test checks a, b, and what the server holds
/// (a fresh client's full sync). Models: Task (no conflict properties), Note (SYNC_PRECEDENCE + SYNC_CLOCK), Event
/// (SYNC_CLOCK); the SDK sets the clocks, the tests only choose the order of the writes.
/// </summary>
#pragma warning disable CA1001 // xunit disposes the fields through IAsyncLifetime.DisposeAsync
public sealed class ConflictEndToEndTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly EndToEndHarness _e2e = new(ConflictModel.Json);

    public async Task InitializeAsync() => await _e2e.Server.StartAsync();

    public async Task DisposeAsync() => await _e2e.DisposeAsync();

    [Fact]
    public async Task Without_conflict_properties_the_edit_the_server_receives_last_wins_everywhere()
    {
        var (a, b, aId, bId) = await SharedObjectAsync("Task", Values(("title", "original"), ("priority", 1)));

        a = await _e2e.OfflineAsync(a, "a");
        a.Box("Task").Put(Values(("id", aId), ("title", "a's edit, received last"), ("priority", 2)));
        b.Box("Task").Put(Values(("id", bId), ("title", "b's edit, received first"), ("priority", 3)));
        await UploadedAsync(b);
        await BackOnlineAsync(a);

        await _e2e.UntilAsync(() => Text(b, "Task", bId, "title") == "a's edit, received last", "b gets a's later-received edit", clients: b);
        Assert.Equal("a's edit, received last", Text(a, "Task", aId, "title"));
        Assert.Equal(2, b.Box("Task").Get(bId)!["priority"]);
        var server = (await _e2e.ServerViewAsync()).Box("Task").GetAll().Single();
        Assert.Equal("a's edit, received last", server["title"]);
        Assert.Equal(2, server["priority"]);
    }

    [Fact]
    public async Task A_higher_precedence_edit_received_first_beats_a_newer_one_and_the_loser_gets_the_winning_state()
    {
        var (a, b, aId, bId) = await SharedObjectAsync("Note", Values(("text", "original")));

        a = await _e2e.OfflineAsync(a, "a");
        b.Box("Note").Put(Values(("id", bId), ("text", "admin's edit"), ("precedence", 5UL)));
        var bClock = Clock(b, "Note", bId);
        await UploadedAsync(b);
        await WallClockPassesAsync(bClock);
        a.Box("Note").Put(Values(("id", aId), ("text", "user's edit"), ("precedence", 1UL)));
        Assert.True(Clock(a, "Note", aId) > bClock, "a's edit is the newer one by its clock");
        await BackOnlineAsync(a);

        await _e2e.UntilAsync(() => Text(a, "Note", aId, "text") == "admin's edit", "a gets the winning state as a correction", clients: a);
        Assert.Equal(5UL, a.Box("Note").Get(aId)!["precedence"]);
        Assert.Equal(bClock, Clock(a, "Note", aId));
        Assert.Equal("admin's edit", Text(b, "Note", bId, "text"));
        var server = (await _e2e.ServerViewAsync()).Box("Note").GetAll().Single();
        Assert.Equal("admin's edit", server["text"]);
        Assert.Equal(5UL, server["precedence"]);
        Assert.Equal(0, a.OutboxCount);
    }

    [Fact]
    public async Task With_a_sync_clock_the_newer_edit_wins_even_when_the_server_receives_it_first()
    {
        var (a, b, aId, bId) = await SharedObjectAsync("Event", Values(("name", "original")));

        a = await _e2e.OfflineAsync(a, "a");
        a.Box("Event").Put(Values(("id", aId), ("name", "older edit, received last")));
        var aClock = Clock(a, "Event", aId);
        await WallClockPassesAsync(aClock);
        b.Box("Event").Put(Values(("id", bId), ("name", "newer edit, received first")));
        var bClock = Clock(b, "Event", bId);
        Assert.True(bClock > aClock, "b's edit is the newer one by its clock");
        await UploadedAsync(b);
        await BackOnlineAsync(a);

        await _e2e.UntilAsync(() => Text(a, "Event", aId, "name") == "newer edit, received first", "a gets the newer edit as a correction", clients: a);
        Assert.Equal(bClock, Clock(a, "Event", aId));
        Assert.Equal("newer edit, received first", Text(b, "Event", bId, "name"));
        var server = (await _e2e.ServerViewAsync()).Box("Event").GetAll().Single();
        Assert.Equal("newer edit, received first", server["name"]);
        Assert.Equal(bClock, server["clock"]);
    }

    [Fact]
    public async Task With_a_sync_clock_a_newer_remove_beats_an_older_edit_received_after_it()
    {
        var (a, b, aId, bId) = await SharedObjectAsync("Event", Values(("name", "original")));

        a = await _e2e.OfflineAsync(a, "a");
        a.Box("Event").Put(Values(("id", aId), ("name", "edit before the remove")));
        await WallClockPassesAsync(Clock(a, "Event", aId));
        Assert.True(b.Box("Event").Remove(bId));
        await UploadedAsync(b);
        await BackOnlineAsync(a);

        await _e2e.UntilAsync(() => a.Box("Event").Count() == 0, "a gets the remove as a correction", clients: a);
        Assert.Equal(0, b.Box("Event").Count());
        Assert.Equal(0, (await _e2e.ServerViewAsync()).Box("Event").Count());
        Assert.Equal(0, a.OutboxCount);
    }

    [Fact]
    public async Task With_a_sync_clock_an_edit_newer_than_a_remove_recreates_the_object_everywhere()
    {
        var (a, b, aId, bId) = await SharedObjectAsync("Event", Values(("name", "original")));

        a = await _e2e.OfflineAsync(a, "a");
        Assert.True(b.Box("Event").Remove(bId));
        var removedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await UploadedAsync(b);
        await WallClockPassesAsync((ulong)removedAt << 16);
        a.Box("Event").Put(Values(("id", aId), ("name", "edit after the remove")));
        await BackOnlineAsync(a);

        await _e2e.UntilAsync(() => Text(b, "Event", bId, "name") == "edit after the remove", "b gets the object back", clients: b);
        Assert.Equal("edit after the remove", Text(a, "Event", aId, "name"));
        Assert.Equal("edit after the remove", (await _e2e.ServerViewAsync()).Box("Event").GetAll().Single()["name"]);
    }

    [Fact]
    public async Task With_a_sync_clock_an_older_remove_received_after_a_newer_edit_loses_and_the_remover_gets_the_object_back()
    {
        var (a, b, aId, bId) = await SharedObjectAsync("Event", Values(("name", "original")));

        a = await _e2e.OfflineAsync(a, "a");
        Assert.True(a.Box("Event").Remove(aId));
        var removedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await WallClockPassesAsync((ulong)removedAt << 16);
        b.Box("Event").Put(Values(("id", bId), ("name", "edit after the remove")));
        await UploadedAsync(b);
        await BackOnlineAsync(a);

        await _e2e.UntilAsync(() => Text(a, "Event", aId, "name") == "edit after the remove", "a gets the object back as a correction", clients: a);
        Assert.Equal(Clock(b, "Event", bId), Clock(a, "Event", aId));
        Assert.Equal("edit after the remove", Text(b, "Event", bId, "name"));
        Assert.Equal("edit after the remove", (await _e2e.ServerViewAsync()).Box("Event").GetAll().Single()["name"]);
        Assert.Equal(0, a.OutboxCount);
    }

    [Fact]
    public async Task Without_a_clock_an_edit_received_after_a_remove_recreates_the_object()
    {
        var (a, b, aId, bId) = await SharedObjectAsync("Task", Values(("title", "original")));

        a = await _e2e.OfflineAsync(a, "a");
        a.Box("Task").Put(Values(("id", aId), ("title", "edit received last")));
        Assert.True(b.Box("Task").Remove(bId));
        await UploadedAsync(b);
        await BackOnlineAsync(a);

        await _e2e.UntilAsync(() => Text(b, "Task", bId, "title") == "edit received last", "b gets the object back", clients: b);
        Assert.Equal("edit received last", Text(a, "Task", aId, "title"));
        Assert.Equal("edit received last", (await _e2e.ServerViewAsync()).Box("Task").GetAll().Single()["title"]);
    }

    [Fact]
    public async Task Without_a_clock_a_remove_received_after_an_edit_removes_the_object()
    {
        var (a, b, aId, bId) = await SharedObjectAsync("Task", Values(("title", "original")));

        a = await _e2e.OfflineAsync(a, "a");
        Assert.True(a.Box("Task").Remove(aId));
        b.Box("Task").Put(Values(("id", bId), ("title", "edit received first")));
        await UploadedAsync(b);
        await BackOnlineAsync(a);

        await _e2e.UntilAsync(() => b.Box("Task").Count() == 0, "b gets the remove", clients: b);
        Assert.Equal(0, a.Box("Task").Count());
        Assert.Equal(0, (await _e2e.ServerViewAsync()).Box("Task").Count());
    }

    /// <summary>Clients a and b, both caught up and holding one object that a created.</summary>
    private async Task<(SyncClient A, SyncClient B, ulong AId, ulong BId)> SharedObjectAsync(string entity, Dictionary<string, object?> values)
    {
        var a = await _e2e.CaughtUpClientAsync("a");
        var b = await _e2e.CaughtUpClientAsync("b");
        var aId = a.Box(entity).Put(values);
        await UploadedAsync(a);
        await _e2e.UntilAsync(() => b.Box(entity).Count() == 1, $"b has a's {entity}", clients: b);
        return (a, b, aId, (ulong)b.Box(entity).GetAll().Single()["id"]!);
    }

    /// <summary>Starts a client that was offline and waits until it caught up and the server ACKed its queued changes.</summary>
    private static async Task BackOnlineAsync(SyncClient client)
    {
        var caughtUp = UpdatesCompletedAsync(client);
        client.Start();
        await caughtUp;
        await UploadedAsync(client);
    }

    /// <summary>Until the wall clock is a millisecond past <paramref name="clock"/>, so the next clock value any client makes
    /// is higher.</summary>
    private Task WallClockPassesAsync(ulong clock) => _e2e.UntilAsync(
        () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > (long)(clock >> 16), "the wall clock passes the last clock value");

    private static string? Text(SyncClient client, string entity, ulong id, string property) => (string?)client.Box(entity).Get(id)?[property];

    private static ulong Clock(SyncClient client, string entity, ulong id) => (ulong)client.Box(entity).Get(id)!["clock"]!;
}
