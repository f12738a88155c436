using System.Diagnostics;
using HdrHistogram;
using SyncServer.Bench.Infrastructure;
using SyncServer.Bench.Results;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Scenarios;

/// <summary>
/// Scenario 2: <see cref="BenchSizes.SmallTxClients"/> raw clients, each sending single-PUT TXs as fast as its ACKs allow
/// (pipelined, <see cref="BenchSizes.SmallTxWindow"/> unACKed). The clients log in MANUAL (no pushes): this measures the
/// write path (receive, validate, group commit, ACK after the commit); fan-out is scenario 3. TXs per second counted
/// from ACKs in a window after a warm-up, with the ACK latency (send to ACK) of every TX.
/// </summary>
internal static class SmallTxScenario
{
    public static async Task RunAsync(BenchRun run, ServerProcess server)
    {
        var sizes = run.Sizes;
        var clients = new List<RawSyncClient>();
        for (var i = 0; i < sizes.SmallTxClients; i++)
        {
            var client = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
            await client.LoginOkAsync(RequestUpdatesMode.Manual);
            clients.Add(client);
        }

        var latency = new LongConcurrentHistogram(1, 60_000_000, 3);
        long acked = 0;
        var measuring = 0;
        var errors = 0;
        using var stop = new CancellationTokenSource();
        var loops = clients.Select(client => Task.Run(() => ClientLoopAsync(client))).ToArray();

        async Task ClientLoopAsync(RawSyncClient client)
        {
            var window = new SemaphoreSlim(sizes.SmallTxWindow, sizes.SmallTxWindow);
            var sentAt = new long[sizes.SmallTxWindow * 2];
            client.StartReceiving((message, _) =>
            {
                if ((MessageType)message[0] == MessageType.AckTx)
                {
                    var ack = (AckTxMessage)MessageCodec.Decode(message);
                    if (Volatile.Read(ref measuring) == 1)
                    {
                        Interlocked.Increment(ref acked);
                        latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(sentAt[ack.ClientTxId % (ulong)sentAt.Length]).TotalMicroseconds));
                    }

                    window.Release();
                }
                else if ((MessageType)message[0] == MessageType.Error)
                {
                    Interlocked.Increment(ref errors);
                }
            }, 4096);

            ulong txId = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await window.WaitAsync(stop.Token);
                    txId++;
                    var id = BenchModel.GlobalId(client.ClientNumber, txId);
                    var message = MessageCodec.Encode(new ApplyTxMessage(new ClientTx(txId, [new PutOp(BenchModel.EntityId, id, BenchModel.Create(id, 0))])));
                    sentAt[txId % (ulong)sentAt.Length] = Stopwatch.GetTimestamp();
                    await client.SendAsync(message, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        run.Log($"small TXs: {clients.Count} clients sending; warm-up {sizes.SmallTxWarmup.TotalSeconds:F0} s");
        await Task.Delay(sizes.SmallTxWarmup);
        var cpu = CpuSample.Take(server.ProcessId);
        Volatile.Write(ref measuring, 1);
        var stopwatch = Stopwatch.StartNew();
        await Task.Delay(sizes.SmallTxDuration);
        Volatile.Write(ref measuring, 0);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var count = Interlocked.Read(ref acked);
        var usage = CpuSample.Take(server.ProcessId).Since(cpu, count, "Tx");
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        var rate = count / seconds;
        var r2 = run.Echo?.RoundTripsPerSecond;
        run.Add(new BenchResult(
            "small", "2 Small TXs (100 clients, 1 put per TX)", rate, "TXs/s", "r2", r2, ">= 20,000 TXs/s", rate >= 20_000 && errors == 0,
            new Dictionary<string, object>
            {
                ["clients"] = clients.Count,
                ["windowPerClient"] = sizes.SmallTxWindow,
                ["txs"] = count,
                ["seconds"] = Math.Round(seconds, 3),
                ["ackLatencyP50Ms"] = latency.GetValueAtPercentile(50) / 1000.0,
                ["ackLatencyP99Ms"] = latency.GetValueAtPercentile(99) / 1000.0,
                ["ackLatencyMaxMs"] = latency.GetMaxValue() / 1000.0,
                ["errors"] = errors,
            }.With(usage)));
    }
}
