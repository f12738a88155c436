using System.Globalization;
using System.Text.RegularExpressions;
using SyncServer.Client.Tests.Infrastructure;
using static SyncServer.Client.Tests.Infrastructure.EndToEndHarness;

namespace SyncServer.Client.Tests;

/// <summary>
/// The server's transaction history over time, with real clients and the real server on debug logging: a client whose
/// position was pruned gets a full sync; normal restarts keep client numbers and positions, so clients just continue.
/// </summary>
public sealed partial class HistoryEndToEndTests
{
    [Fact]
    public async Task A_client_whose_position_was_pruned_from_the_history_gets_a_full_sync_and_converges()
    {
        await using var e2e = new EndToEndHarness(
            TestModels.Json, "--log-level", "debug", "--history-size-max-kb", "16", "--history-size-target-kb", "8");
        await e2e.Server.StartAsync();
        var a = await e2e.CaughtUpClientAsync("a");
        var doomed = a.Box("Task").Put(Values(("title", "removed while b is away")));
        a.Box("Task").Put(Values(("title", "kept")));
        await UploadedAsync(a);
        var b = await e2e.CaughtUpClientAsync("b");
        Assert.Equal(2, b.Box("Task").Count());
        var (bNumber, bPosition) = (b.ClientNumber, b.Position);
        b = await e2e.OfflineAsync(b, "b");

        // About 40 KB of TXs: the log is pruned (more than once) to 8 KB, far past b's position.
        a.Box("Task").Remove(doomed);
        for (var i = 0; i < 150; i++)
        {
            a.Box("Task").Put(Values(("title", $"{i} {new string('x', 200)}"), ("priority", i)));
        }

        await UploadedAsync(a);
        await e2e.UntilAsync(() => PrunedFrom(e2e.Server.Process!) > bPosition + 1, "the server prunes past b's position");

        var caughtUp = UpdatesCompletedAsync(b);
        b.Start();
        await caughtUp;

        await e2e.Server.Process!.WaitForLineAsync(new Regex(
            $@"Full sync for client {bNumber} \(position {bPosition}\) from snapshot at position \d+$", RegexOptions.None, TimeSpan.FromSeconds(1)));
        Assert.Equal(2UL + 1 + 150, b.Position); // the head: every put and remove of a is one TX
        Assert.Equal((await e2e.ServerViewAsync()).Position, b.Position);
        Assert.Equal(151, b.Box("Task").Count());
        Assert.DoesNotContain(b.Box("Task").GetAll(), t => (string?)t["title"] == "removed while b is away");
        Assert.Equal(
            a.Box("Task").GetAll().Select(t => (string?)t["title"]).Order(),
            b.Box("Task").GetAll().Select(t => (string?)t["title"]).Order());
        Assert.Equal(bNumber, b.ClientNumber);
    }

    [Fact]
    public async Task After_two_normal_server_restarts_clients_keep_their_numbers_and_positions_and_continue_without_a_full_sync()
    {
        await using var e2e = new EndToEndHarness(TestModels.Json, "--log-level", "debug");
        await e2e.Server.StartAsync();
        var a = await e2e.CaughtUpClientAsync("a");
        var b = await e2e.CaughtUpClientAsync("b");
        await ExchangeTasksAsync(e2e, a, b, "before any restart");
        var numbers = (a.ClientNumber, b.ClientNumber);

        for (var restart = 1; restart <= 2; restart++)
        {
            var (aPosition, bPosition) = (a.Position, b.Position);
            Assert.True(aPosition > 0 && bPosition > 0);
            Assert.Equal(0, await e2e.Server.StopAsync());
            await e2e.UntilAsync(() => a.State != SyncState.LoggedIn && b.State != SyncState.LoggedIn, "both clients notice the stop", clients: [a, b]);
            await e2e.Server.StartAsync();

            await e2e.Server.Process!.WaitForLineAsync(LoginLine(a.ClientNumber, aPosition));
            await e2e.Server.Process.WaitForLineAsync(LoginLine(b.ClientNumber, bPosition));
            await ExchangeTasksAsync(e2e, a, b, $"after restart {restart}");

            Assert.Equal(numbers, (a.ClientNumber, b.ClientNumber));
            Assert.True(a.Position > aPosition && b.Position > bPosition);
            var fullSyncs = e2e.Server.Process.Output.Where(l => l.Contains("Full sync for client", StringComparison.Ordinal));
            Assert.True(!fullSyncs.Any(), string.Join('\n', fullSyncs));
        }

        var fresh = await e2e.ServerViewAsync();
        Assert.Equal(3U, fresh.ClientNumber); // numbers 1 and 2 stayed taken
        Assert.Equal(6, fresh.Box("Task").Count());
    }

    /// <summary>a writes a task that b receives, then b one that a receives.</summary>
    private static async Task ExchangeTasksAsync(EndToEndHarness e2e, SyncClient a, SyncClient b, string when)
    {
        foreach (var (writer, reader) in new[] { (a, b), (b, a) })
        {
            var title = $"{(writer == a ? "a" : "b")}'s task {when}";
            writer.Box("Task").Put(Values(("title", title)));
            await UploadedAsync(writer);
            await e2e.UntilAsync(() => reader.Box("Task").Query(t => (string?)t["title"] == title).Count == 1, $"the other client gets {title}", clients: reader);
        }
    }

    private static Regex LoginLine(uint clientNumber, ulong position) => new(
        $@"Login OK from \S+: client {clientNumber}, schema version ID 1, mode Auto, position {position}, last TX ID \d+, head \d+$",
        RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>Where the server's transaction log starts after its last pruning (0 before any).</summary>
    private static ulong PrunedFrom(ServerProcess server) => server.Output
        .Select(line => PrunedRegex().Match(line))
        .Where(match => match.Success)
        .Select(match => ulong.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
        .DefaultIfEmpty()
        .Max();

    [GeneratedRegex(@"Transaction log pruned: it now starts at position (\d+),")]
    private static partial Regex PrunedRegex();
}
