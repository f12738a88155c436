using SyncServer.Client.Tests.Infrastructure;
using static SyncServer.Client.Tests.Infrastructure.EndToEndHarness;

namespace SyncServer.Client.Tests;

/// <summary>
/// ACK_TX before later pushes (docs/protocol.md), with two real clients and the real server, which holds each ACK back
/// for a while (<c>Sync__AckDelayForTests</c>) so that another client's TX commits while an ACK is outstanding.
/// </summary>
#pragma warning disable CA1001 // xunit disposes the fields through IAsyncLifetime.DisposeAsync
public sealed class OrderingEndToEndTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly TimeSpan AckDelay = TimeSpan.FromSeconds(2);
    private readonly EndToEndHarness _e2e = new(ConflictModel.Json);

    public async Task InitializeAsync()
    {
        _e2e.Server.Environment["Sync__AckDelayForTests"] = AckDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        await _e2e.Server.StartAsync();
    }

    public async Task DisposeAsync() => await _e2e.DisposeAsync();

    [Fact]
    public async Task A_put_committed_after_a_clients_own_while_its_ACK_is_outstanding_still_reaches_that_client()
    {
        var a = await _e2e.CaughtUpClientAsync("a");
        var b = await _e2e.CaughtUpClientAsync("b");
        var aId = a.Box("Task").Put(Values(("title", "original")));
        await UploadedAsync(a);
        await _e2e.UntilAsync(() => b.Box("Task").Count() == 1, "b has a's Task", clients: b);
        var bId = (ulong)b.Box("Task").GetAll().Single()["id"]!;

        // a's edit commits at p; its ACK is held back. b sees it, and b's edit commits at p + 1 while a still waits.
        var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.TxAcknowledged += (_, _) => acked.TrySetResult();
        a.Box("Task").Put(Values(("id", aId), ("title", "a's edit")));
        await _e2e.UntilAsync(() => Text(b, bId) == "a's edit", "b gets a's edit", clients: b);
        b.Box("Task").Put(Values(("id", bId), ("title", "b's later edit")));
        Assert.False(acked.Task.IsCompleted, "a's ACK is still outstanding when b writes");
        await UploadedAsync(b);
        await UploadedAsync(a);

        Assert.Equal("b's later edit", (await _e2e.ServerViewAsync()).Box("Task").GetAll().Single()["title"]);
        await _e2e.UntilAsync(() => Text(a, aId) == "b's later edit", "a ends with the server's state", clients: a);
        Assert.Equal("b's later edit", Text(b, bId));
    }

    [Fact]
    public async Task A_client_whose_ACK_was_lost_learns_after_the_reconnect_that_its_TX_lost_a_conflict()
    {
        await using var proxy = new TcpProxy(_e2e.Server.Url.Port);
        var a = _e2e.Client("a", proxy.Url, start: false);
        var ready = UpdatesCompletedAsync(a);
        a.Start();
        await ready;
        var b = await _e2e.CaughtUpClientAsync("b");
        b.Box("Note").Put(Values(("text", "admin's edit"), ("precedence", 5UL)));
        await UploadedAsync(b);
        await _e2e.UntilAsync(() => a.Box("Note").Count() == 1, "a has b's note", clients: a);
        var aId = (ulong)a.Box("Note").GetAll().Single()["id"]!;

        // a's lower-precedence edit loses on the server; its ACK and correction are cut off with the connection.
        proxy.DropBeforeNextServerBytes();
        a.Box("Note").Put(Values(("id", aId), ("text", "user's edit"), ("precedence", 1UL)));
        await proxy.Dropped.WaitAsync(Wait.DefaultTimeout);
        await UploadedAsync(a); // after the reconnect: resent, ACKed as a duplicate, with the stored state as a correction

        await _e2e.UntilAsync(() => (string?)a.Box("Note").Get(aId)?["text"] == "admin's edit", "a gets the winning state", clients: a);
        Assert.Equal("admin's edit", (await _e2e.ServerViewAsync()).Box("Note").GetAll().Single()["text"]);
        Assert.Equal(0, a.OutboxCount);
        Assert.Contains(_e2e.Log, l => l.StartsWith("a: disconnected", StringComparison.Ordinal));
    }

    private static string? Text(SyncClient client, ulong id) => (string?)client.Box("Task").Get(id)?["title"];
}
