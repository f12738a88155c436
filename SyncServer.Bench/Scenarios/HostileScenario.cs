using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HdrHistogram;
using SyncServer.Bench.Infrastructure;
using SyncServer.Bench.Results;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Scenarios;

/// <summary>
/// Scenario 8, hostile peers (docs/protocol.md, "What a peer can make the server hold"), three probes with the default
/// limits: (a) <see cref="BenchSizes.HostilePartialConnections"/> connections that never log in, each holding a partial
/// message just under the limit before login, and as many declaring a 32 MiB frame: the server's RSS growth (target
/// under 50 MB); (b) a writer's ACK latency with live subscribers, then with <see cref="BenchSizes.HostileStalledReaders"/>
/// more that stop reading: each must be dropped within the send timeout of its socket filling up, and the writer's ACK
/// p99 stay within 1.5 times the run without them; (c) SIGTERM with three clients stalled in a full sync: the time to
/// exit (target close timeout + 1 s).
/// </summary>
internal static partial class HostileScenario
{
    private const string MetricsToken = "sync-bench";
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(BenchRun run)
    {
        await PartialFramesAsync(run);
        await StalledReadersAsync(run);
        await ShutdownAsync(run);
    }

    private static async Task PartialFramesAsync(BenchRun run)
    {
        var count = run.Sizes.HostilePartialConnections;
        await using var server = await run.StartServerAsync("hostile-partial");
        await using (var warmUp = await RawWebSocketConnection.ConnectAsync(server.SyncPort))
        {
            await warmUp.WriteMessageAsync(MessageCodec.Encode(new HeartbeatMessage(0)));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await warmUp.ReadFrameAsync(timeout.Token);
        }

        await Task.Delay(1000);
        var idle = ProcessMemory.ReadRssBytes(server.ProcessId);
        var connections = new List<RawWebSocketConnection>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                // Just under the 64 KiB limit before login, all but the last byte sent: held until the heartbeat timeout.
                var held = await RawWebSocketConnection.ConnectAsync(server.SyncPort);
                connections.Add(held);
                await held.WriteFrameHeaderAsync(2, 64 * 1024);
                await held.Stream.WriteAsync(new byte[(64 * 1024) - 1]);
                // A 32 MiB frame (the limit after login), 1 MiB of it sent: refused from its header.
                var huge = await RawWebSocketConnection.ConnectAsync(server.SyncPort);
                connections.Add(huge);
                await huge.WriteFrameHeaderAsync(2, 32 * 1024 * 1024);
                await huge.TryWriteAsync(new byte[1024 * 1024]);
            }

            await Task.Delay(2000);
            var grown = ProcessMemory.ReadRssBytes(server.ProcessId) - idle;
            run.Add(new BenchResult(
                "hostile-partial", $"8a {count} partial + {count} huge-frame connections before login: server RSS growth", grown / 1048576.0, "MB",
                null, null, "< 50 MB", grown < 50 * 1024 * 1024,
                new Dictionary<string, object> { ["connections"] = connections.Count, ["rssIdleBytes"] = idle, ["rssGrowthBytes"] = grown }));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task StalledReadersAsync(BenchRun run)
    {
        var sizes = run.Sizes;
        await using var server = await run.StartServerAsync("hostile-stalled", new Dictionary<string, string> { ["SYNCSERVER_METRICS_TOKEN"] = MetricsToken });
        using var http = new HttpClient { BaseAddress = server.AdminUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", MetricsToken);

        var subscribers = new List<RawSyncClient>();
        for (var i = 0; i < 10; i++)
        {
            var subscriber = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
            await subscriber.LoginOkAsync(RequestUpdatesMode.Auto);
            subscriber.StartReceiving((_, _) => { }, 64 * 1024);
            subscribers.Add(subscriber);
        }

        await using var writer = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
        var login = await writer.LoginOkAsync(RequestUpdatesMode.Manual);
        var latency = new LongConcurrentHistogram(1, 600_000_000, 3);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(() => WriteAsync(writer, login.ClientNumber, () => latency, stop.Token));

        await Task.Delay(sizes.HostilePhase);
        var calm = latency.Copy();
        latency.Reset();
        var rssCalm = ProcessMemory.ReadRssBytes(server.ProcessId);
        var stalled = new List<RawWebSocketConnection>();
        var stalledAt = Stopwatch.StartNew();
        for (var i = 0; i < sizes.HostileStalledReaders; i++)
        {
            var reader = await RawWebSocketConnection.ConnectAsync(server.SyncPort, receiveBufferBytes: 4096);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await reader.LoginAsync(BenchModel.SchemaHash, timeout.Token, RequestUpdatesMode.Auto);
            stalled.Add(reader);
        }

        var rssMax = rssCalm;
        double? allDroppedAfter = null;
        while (stalledAt.Elapsed < SendTimeout + sizes.HostilePhase)
        {
            await Task.Delay(1000);
            rssMax = Math.Max(rssMax, ProcessMemory.ReadRssBytes(server.ProcessId));
            if (allDroppedAfter is null && await StalledCountAsync(http) >= sizes.HostileStalledReaders)
            {
                allDroppedAfter = stalledAt.Elapsed.TotalSeconds;
            }
        }

        await stop.CancelAsync();
        await writing;
        var dropped = await StalledCountAsync(http);
        foreach (var reader in stalled)
        {
            await reader.DisposeAsync();
        }

        foreach (var subscriber in subscribers)
        {
            await subscriber.DisposeAsync();
        }

        var (p99Calm, p99Stalled) = (calm.GetValueAtPercentile(99) / 1000.0, latency.GetValueAtPercentile(99) / 1000.0);
        var ratio = p99Stalled / p99Calm;
        run.Add(new BenchResult(
            "hostile-stalled", $"8b writer ACK p99 with {sizes.HostileStalledReaders} stalled readers / without", ratio, "x", null, null,
            $"<= 1.5, all dropped within {SendTimeout.TotalSeconds:F0} s of stalling", ratio <= 1.5 && dropped >= sizes.HostileStalledReaders,
            new Dictionary<string, object>
            {
                ["ackP99CalmMs"] = p99Calm,
                ["ackP99StalledMs"] = p99Stalled,
                ["stalledDropped"] = dropped,
                ["allDroppedAfterSeconds"] = allDroppedAfter ?? -1,
                ["rssCalmBytes"] = rssCalm,
                ["rssMaxWithStalledBytes"] = rssMax,
            }));
    }

    private static async Task ShutdownAsync(BenchRun run)
    {
        await using var server = await run.StartServerAsync("hostile-shutdown");
        await using (var writer = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false))
        {
            var login = await writer.LoginOkAsync(RequestUpdatesMode.Manual);
            // 100,000 objects (about 10 MB): more than the stalled readers' sockets take.
            using var stop = new CancellationTokenSource();
            var latency = new LongConcurrentHistogram(1, 600_000_000, 3);
            await WriteAsync(writer, login.ClientNumber, () => latency, stop.Token, txs: 1000);
        }

        var readers = new List<RawWebSocketConnection>();
        for (var i = 0; i < 3; i++)
        {
            var reader = await RawWebSocketConnection.ConnectAsync(server.SyncPort, receiveBufferBytes: 4096);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await reader.LoginAsync(BenchModel.SchemaHash, timeout.Token, RequestUpdatesMode.Auto);
            readers.Add(reader);
        }

        await Task.Delay(2000); // the full syncs fill the sockets
        var stopping = Stopwatch.StartNew();
        var exit = await server.StopAsync();
        var seconds = stopping.Elapsed.TotalSeconds;
        foreach (var reader in readers)
        {
            await reader.DisposeAsync();
        }

        run.Add(new BenchResult(
            "hostile-shutdown", "8c SIGTERM to exit with 3 clients stalled in a full sync", seconds, "s", null, null,
            $"<= {(CloseTimeout + TimeSpan.FromSeconds(1)).TotalSeconds:F0} s (close timeout + 1 s)", seconds <= (CloseTimeout + TimeSpan.FromSeconds(1)).TotalSeconds && exit == 0,
            new Dictionary<string, object> { ["exitCode"] = exit }));
    }

    /// <summary>TXs of 100 puts (about 11 KB), 100 per second, one at a time, each
    /// ACK's latency recorded; until <paramref name="stop"/>, or <paramref name="txs"/> TXs.</summary>
    private static async Task WriteAsync(RawSyncClient writer, uint clientNumber, Func<LongConcurrentHistogram> latency, CancellationToken stop, int txs = int.MaxValue)
    {
        var acked = new SemaphoreSlim(0);
        long sentAt = 0;
        writer.StartReceiving((message, _) =>
        {
            if ((MessageType)message[0] == MessageType.AckTx)
            {
                latency().RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt)).TotalMicroseconds));
                acked.Release();
            }
        }, 4096);
        var clock = Stopwatch.StartNew();
        ulong objectId = 0;
        for (var tx = 1UL; tx <= (ulong)txs && !stop.IsCancellationRequested; tx++)
        {
            var due = TimeSpan.FromSeconds(tx / 100.0) - clock.Elapsed;
            if (due > TimeSpan.Zero && txs == int.MaxValue)
            {
                await Task.Delay(due, CancellationToken.None);
            }

            var ops = new List<SyncOp>(100);
            for (var i = 0; i < 100; i++)
            {
                var id = BenchModel.GlobalId(clientNumber, ++objectId);
                ops.Add(new PutOp(BenchModel.EntityId, id, BenchModel.Create(id, 0)));
            }

            Volatile.Write(ref sentAt, Stopwatch.GetTimestamp());
            await writer.SendAsync(MessageCodec.Encode(new ApplyTxMessage(new ClientTx(tx, ops))), CancellationToken.None);
            if (!await acked.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None))
            {
                throw new TimeoutException($"no ACK for TX {tx} within 60 s");
            }
        }
    }

    private static async Task<double> StalledCountAsync(HttpClient http)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var match = StalledLine().Match(text);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex("""^syncserver_failures_total\{[^}]*kind="stalled"[^}]*\} (\S+)""", RegexOptions.Multiline)]
    private static partial Regex StalledLine();
}
