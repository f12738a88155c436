using System.Globalization;
using SyncServer.Bench.Infrastructure;
using SyncServer.Bench.Results;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Scenarios;

/// <summary>
/// Scenario 5: <see cref="BenchSizes.Connections"/> logged-in idle clients, opened by worker processes
/// (<see cref="ConnectionsWorker"/>, <see cref="BenchSizes.ConnectionsPerWorker"/> each). Server memory per client is
/// (VmRSS after − VmRSS before) / clients, each the median of three readings once the server settled; then one TX must
/// reach every client.
/// </summary>
internal static class ConnectionsScenario
{
    public static async Task RunAsync(BenchRun run, ServerProcess server)
    {
        var sizes = run.Sizes;
        // Warm the server's session paths once (JIT, pools) so "before" is a running server, not a cold one.
        await using (var warm = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false))
        {
            await warm.LoginOkAsync(RequestUpdatesMode.Auto);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = await MedianRssAsync(server);
        run.Log($"connections: server RSS before {before / 1048576.0:F1} MB; opening {sizes.Connections:N0} connections");

        var workers = new List<ChildProcess>();
        var opened = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            for (var remaining = sizes.Connections; remaining > 0; remaining -= sizes.ConnectionsPerWorker)
            {
                var count = Math.Min(remaining, sizes.ConnectionsPerWorker);
                workers.Add(ChildProcess.StartSelf(["connections-worker", "--url", server.SyncUrl.ToString(), "--count", count.ToString(CultureInfo.InvariantCulture)]));
            }

            foreach (var worker in workers)
            {
                await worker.ReadLineAsync("READY", TimeSpan.FromMinutes(15));
            }

            var openSeconds = opened.Elapsed.TotalSeconds;
            run.Log($"connections: {sizes.Connections:N0} clients logged in and caught up in {openSeconds:F1} s");
            await Task.Delay(TimeSpan.FromSeconds(5));
            var after = await MedianRssAsync(server);
            var threads = ReadStatus(server.ProcessId, "Threads:");
            var perClient = (after - before) / (double)sizes.Connections;

            // One TX to all of them.
            await using var writer = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
            await writer.LoginOkAsync(RequestUpdatesMode.Manual);
            writer.StartReceiving((_, _) => { }, 4096);
            var id = BenchModel.GlobalId(writer.ClientNumber, 1);
            await writer.SendAsync(
                MessageCodec.Encode(new ApplyTxMessage(new ClientTx(1, [new PutOp(BenchModel.EntityId, id, BenchModel.Create(id, UnixClock.NowUnixNs()))]))),
                CancellationToken.None);
            long received = 0, maxLatencyUs = 0;
            foreach (var worker in workers)
            {
                string line;
                try
                {
                    line = await worker.ReadLineAsync("RECEIVED", TimeSpan.FromSeconds(60));
                }
                catch (TimeoutException)
                {
                    await worker.WriteLineAsync("report");
                    line = await worker.ReadLineAsync("RECEIVED", TimeSpan.FromSeconds(10));
                }

                var parts = line.Split(' ');
                received += long.Parse(parts[1], CultureInfo.InvariantCulture);
                maxLatencyUs = Math.Max(maxLatencyUs, long.Parse(parts[2], CultureInfo.InvariantCulture));
            }

            var kb = perClient / 1024;
            run.Add(new BenchResult(
                "connections", $"5 Connections ({sizes.Connections:N0} idle clients): server RSS per client", kb, "KB",
                "r2 idle", run.Echo?.IdleBytesPerConnection / 1024, "<= 100 KB per client, one TX reaches all",
                kb <= 100 && received == sizes.Connections,
                new Dictionary<string, object>
                {
                    ["clients"] = sizes.Connections,
                    ["workerProcesses"] = workers.Count,
                    ["rssBeforeBytes"] = before,
                    ["rssAfterBytes"] = after,
                    ["serverThreads"] = threads,
                    ["openSeconds"] = Math.Round(openSeconds, 1),
                    ["fanOutReceived"] = received,
                    ["fanOutMaxLatencyMs"] = maxLatencyUs / 1000.0,
                }));
        }
        finally
        {
            foreach (var worker in workers)
            {
                try
                {
                    await worker.WriteLineAsync("exit");
                    await worker.WaitForExitAsync(TimeSpan.FromSeconds(20));
                }
                catch (Exception e) when (e is IOException or TimeoutException)
                {
                    // Killed by DisposeAsync.
                }

                await worker.DisposeAsync();
            }
        }
    }

    private static async Task<long> MedianRssAsync(ServerProcess server)
    {
        var readings = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            readings.Add(ProcessMemory.ReadRssBytes(server.ProcessId));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        readings.Sort();
        return readings[1];
    }

    private static long ReadStatus(int pid, string key)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
