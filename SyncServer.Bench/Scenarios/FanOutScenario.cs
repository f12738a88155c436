using System.Diagnostics;
using HdrHistogram;
using SyncServer.Bench.Infrastructure;
using SyncServer.Bench.Results;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Scenarios;

/// <summary>
/// Scenario 3: one writer sends single-PUT TXs at a fixed pace; every subscriber (AUTO: catch-up, then live TXs) records
/// the time from the writer's send to its own receipt of each TX. The send time travels inside the object (sentAt, Unix
/// ns from the same clock on this machine). Latencies go into one HdrHistogram (microseconds, 3 significant digits);
/// TXs sent during the warm-up are not recorded. Every measured TX must reach every subscriber.
/// </summary>
internal static class FanOutScenario
{
    public static async Task RunAsync(BenchRun run, ServerProcess server, string id, FanOutSize size, double targetP99Ms)
    {
        var histogram = new LongConcurrentHistogram(1, 60_000_000, 3);
        var state = new SubscriberState(histogram);
        var subscribers = new List<RawSyncClient>(size.Subscribers);
        var ready = new CountdownEvent(size.Subscribers);
        for (var i = 0; i < size.Subscribers; i += 50)
        {
            var batch = await Task.WhenAll(Enumerable.Range(i, Math.Min(50, size.Subscribers - i)).Select(async _ =>
            {
                var client = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
                await client.LoginOkAsync(RequestUpdatesMode.Auto);
                client.StartReceiving((message, receivedUnixNs) =>
                {
                    switch ((MessageType)message[0])
                    {
                        case MessageType.Txs:
                            TxsScanner.ScanPuts(message, (state, receivedUnixNs), static (s, sentAt) => s.state.Record(sentAt, s.receivedUnixNs));
                            break;
                        case MessageType.UpdatesComplete:
                            ready.Signal();
                            break;
                    }
                }, 4096);
                return client;
            }));
            subscribers.AddRange(batch);
        }

        if (!ready.Wait(TimeSpan.FromMinutes(2)))
        {
            throw new TimeoutException($"only {size.Subscribers - ready.CurrentCount} of {size.Subscribers} subscribers completed their catch-up");
        }

        await using var writer = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
        await writer.LoginOkAsync(RequestUpdatesMode.Manual);
        var writerErrors = 0;
        writer.StartReceiving((message, _) =>
        {
            if ((MessageType)message[0] == MessageType.Error)
            {
                Interlocked.Increment(ref writerErrors);
            }
        }, 4096);
        run.Log($"{id}: {size.Subscribers} subscribers ready; writer at {size.TxsPerSecond} TXs/s, warm-up {size.Warmup.TotalSeconds:F0} s");

        ulong txId = 0;
        await PaceAsync(writer, size.TxsPerSecond, size.Warmup, () => ++txId);
        state.MeasureFromUnixNs = UnixClock.NowUnixNs();
        var cpu = CpuSample.Take(server.ProcessId);
        var measuredTxs = await PaceAsync(writer, size.TxsPerSecond, size.Duration, () => ++txId);
        var usage = CpuSample.Take(server.ProcessId).Since(cpu, (long)measuredTxs * size.Subscribers, "Delivery");
        var expected = (long)measuredTxs * size.Subscribers;
        var drain = Stopwatch.StartNew();
        while (state.Deliveries < expected && drain.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        var delivered = state.Deliveries;
        var lost = subscribers.Count(s => s.Receiving.IsCompleted);
        foreach (var subscriber in subscribers)
        {
            await subscriber.DisposeAsync();
        }

        var p99Ms = histogram.GetValueAtPercentile(99) / 1000.0;
        // The floor under a fan-out: the TX's durable commit (r1c) plus a loopback hop each way (r2 RTT).
        var commitP99Ms = run.CommitLatency is { } commit ? commit.P99Us / 1000.0 : (double?)null;
        run.Add(new BenchResult(
            id,
            $"3{id[^1]} Fan-out p99 (1 writer at {size.TxsPerSecond}/s, {size.Subscribers} subscribers)",
            p99Ms, "ms", "r1c commit p99", commitP99Ms, $"p99 <= {targetP99Ms} ms, every TX to every subscriber",
            p99Ms <= targetP99Ms && delivered == expected && writerErrors == 0,
            new Dictionary<string, object>
            {
                ["subscribers"] = size.Subscribers,
                ["txsPerSecond"] = size.TxsPerSecond,
                ["warmupSeconds"] = size.Warmup.TotalSeconds,
                ["measuredTxs"] = measuredTxs,
                ["deliveriesExpected"] = expected,
                ["deliveries"] = delivered,
                ["subscribersDisconnected"] = lost,
                ["writerErrors"] = writerErrors,
                ["p50Ms"] = histogram.GetValueAtPercentile(50) / 1000.0,
                ["p90Ms"] = histogram.GetValueAtPercentile(90) / 1000.0,
                ["p99Ms"] = p99Ms,
                ["p999Ms"] = histogram.GetValueAtPercentile(99.9) / 1000.0,
                ["maxMs"] = histogram.GetMaxValue() / 1000.0,
                ["r2RttP99Ms"] = run.Echo is { } echo ? echo.RttP99Us / 1000.0 : -1,
            }.With(usage)));
    }

    /// <summary>Sends one single-PUT TX every 1/rate seconds for <paramref name="duration"/>; returns how many.</summary>
    private static async Task<int> PaceAsync(RawSyncClient writer, int rate, TimeSpan duration, Func<ulong> nextTxId)
    {
        var start = Stopwatch.GetTimestamp();
        var total = (int)(rate * duration.TotalSeconds);
        for (var sent = 0; sent < total;)
        {
            var due = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1;
            while (sent < Math.Min(due, total))
            {
                var txId = nextTxId();
                var id = BenchModel.GlobalId(writer.ClientNumber, txId);
                var message = MessageCodec.Encode(new ApplyTxMessage(new ClientTx(txId, [new PutOp(BenchModel.EntityId, id, BenchModel.Create(id, UnixClock.NowUnixNs()))])));
                await writer.SendAsync(message, CancellationToken.None);
                sent++;
            }

            await Task.Delay(1);
        }

        return total;
    }

    /// <summary>What the subscribers' receive loops share.</summary>
    private sealed class SubscriberState(LongConcurrentHistogram histogram)
    {
        private long _deliveries;
        private long _measureFrom = long.MaxValue;

        public long MeasureFromUnixNs
        {
            get => Volatile.Read(ref _measureFrom);
            set => Volatile.Write(ref _measureFrom, value);
        }

        public long Deliveries => Interlocked.Read(ref _deliveries);

        public void Record(long sentAtUnixNs, long receivedUnixNs)
        {
            if (sentAtUnixNs >= MeasureFromUnixNs)
            {
                histogram.RecordValue(Math.Max(1, (receivedUnixNs - sentAtUnixNs) / 1000));
                Interlocked.Increment(ref _deliveries);
            }
        }
    }
}
