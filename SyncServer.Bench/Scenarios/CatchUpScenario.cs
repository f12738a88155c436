using System.Diagnostics;
using SyncServer.Bench.Infrastructure;
using SyncServer.Bench.Results;
using SyncServer.Client;
using SyncServer.Core.Protocol;

namespace SyncServer.Bench.Scenarios;

/// <summary>
/// Scenario 4: a new client receives every object in the server (a full sync) and stores it. The receiving client is the
/// real SDK (<see cref="SyncClient"/>, its SQLite store with synchronous=FULL); objects per second from Start() until
/// it raises UpdatesCompleted, then the stored count is checked. A raw client doing the same full sync without storing
/// anything is measured first, to show how fast the server sends.
/// </summary>
internal static class CatchUpScenario
{
    public static async Task RunAsync(BenchRun run, ServerProcess server, int expectedObjects)
    {
        var (rawOps, rawSeconds) = await RawFullSyncAsync(server);
        run.Log($"catch-up: raw full sync (server side only) {rawOps:N0} objects in {rawSeconds:F2} s = {rawOps / rawSeconds:N0} objects/s");

        var directory = run.NewDirectory("catchup-client");
        var client = new SyncClient(new SyncClientOptions
        {
            ServerUrls = [server.SyncUrl],
            ModelJson = BenchModel.Json,
            DataDirectory = directory,
        });
        await using (client)
        {
            var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            string? disconnected = null;
            client.UpdatesCompleted += (_, _) => completed.TrySetResult();
            client.Disconnected += (_, e) => disconnected = e.Reason;
            var cpu = CpuSample.Take(server.ProcessId);
            var stopwatch = Stopwatch.StartNew();
            client.Start();
            await completed.Task.WaitAsync(TimeSpan.FromMinutes(30));
            var elapsed = stopwatch.Elapsed;
            var stored = client.Box("BenchItem").Count();
            var usage = CpuSample.Take(server.ProcessId).Since(cpu, stored, "Object");
            var rate = stored / elapsed.TotalSeconds;
            var r1 = run.SqliteRowsPerSecond;
            var met = stored == expectedObjects && rate >= 150_000 && (r1 is null || rate >= 0.5 * r1.Value);
            run.Add(new BenchResult(
                "catchup", "4 Catch-up (SDK client, full sync, stored)", rate, "objects/s", "r1", r1,
                ">= 150,000 objects/s and >= 0.5 x r1", met,
                new Dictionary<string, object>
                {
                    ["objectsExpected"] = expectedObjects,
                    ["objectsStored"] = stored,
                    ["seconds"] = Math.Round(elapsed.TotalSeconds, 3),
                    ["rawFullSyncObjects"] = rawOps,
                    ["rawFullSyncSeconds"] = Math.Round(rawSeconds, 3),
                    ["rawFullSyncObjectsPerSecond"] = Math.Round(rawOps / rawSeconds),
                    ["disconnected"] = disconnected ?? "",
                }.With(usage)));
        }
    }

    /// <summary>A raw client's full sync up to UPDATES_COMPLETE: what the server can send, nothing stored.</summary>
    private static async Task<(long Ops, double Seconds)> RawFullSyncAsync(ServerProcess server)
    {
        await using var client = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
        long ops = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopwatch = Stopwatch.StartNew();
        await client.LoginOkAsync(RequestUpdatesMode.AutoNoPushes);
        client.StartReceiving((message, _) =>
        {
            switch ((MessageType)message[0])
            {
                case MessageType.FullSyncData:
                    ops += TxsScanner.FullSyncDataCount(message);
                    break;
                case MessageType.UpdatesComplete:
                    done.TrySetResult();
                    break;
                case MessageType.Error:
                    done.TrySetException(new InvalidOperationException("server error during the full sync"));
                    break;
            }
        });
        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        return (ops, stopwatch.Elapsed.TotalSeconds);
    }
}
