using System.Diagnostics;
using System.Security.Cryptography;
using HdrHistogram;
using SyncServer.Bench.Infrastructure;
using SyncServer.Bench.Results;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Scenarios;

/// <summary>
/// Scenario 7, the soak: for <see cref="BenchSizes.SoakDuration"/>, <see cref="BenchSizes.SoakWriters"/> raw clients
/// write single-put TXs at a fixed total pace (half the small-TX scenario's rate when it ran before in this run, else
/// <see cref="BenchSizes.SoakTxsPerSecond"/>), each cycling over its own <see cref="BenchSizes.SoakObjectsPerWriter"/>
/// objects, while <see cref="BenchSizes.SoakChurners"/> clients keep connecting (AUTO, from the position they reached),
/// receiving live TXs for a few seconds and disconnecting. The server's RSS is sampled throughout; the figure is the RSS
/// at the end over the RSS at <see cref="BenchSizes.SoakBaseline"/> (target at most 1.10). At the end every writer's
/// last ACKed state of every object must be what a fresh client's full sync holds, and the head position the number of
/// ACKed TXs: nothing ACKed is lost.
/// </summary>
internal static class SoakScenario
{
    private const int Window = 32;

    public static async Task RunAsync(BenchRun run, ServerProcess server)
    {
        var sizes = run.Sizes;
        var small = run.Results.FirstOrDefault(r => r.Id == "small")?.Value;
        var pace = small is { } measured ? measured / 2 : sizes.SoakTxsPerSecond;
        var errors = new ErrorCounter();
        using var stop = new CancellationTokenSource();

        var writers = new List<Writer>();
        for (var i = 0; i < sizes.SoakWriters; i++)
        {
            var client = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
            var login = await client.LoginOkAsync(RequestUpdatesMode.Manual);
            writers.Add(new Writer(client, login.ClientNumber, sizes.SoakObjectsPerWriter, errors));
        }

        var latency = new LongConcurrentHistogram(1, 600_000_000, 3);
        var perWriter = pace / writers.Count;
        var writing = writers.Select(w => Task.Run(() => w.RunAsync(perWriter, latency, stop.Token))).ToArray();
        var churners = Enumerable.Range(0, sizes.SoakChurners).Select(i => new Churner(server.SyncUrl, errors, i)).ToList();
        var churning = churners.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToArray();
        run.Log($"soak: {writers.Count} writers at {pace:N0} TXs/s in all, {churners.Count} clients connecting and disconnecting, {sizes.SoakDuration.TotalMinutes:F0} min");

        var samples = new List<(double Seconds, long Rss)>();
        var clock = Stopwatch.StartNew();
        long rssAtBaseline = 0;
        while (clock.Elapsed < sizes.SoakDuration)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var rss = ProcessMemory.ReadRssBytes(server.ProcessId);
            samples.Add((clock.Elapsed.TotalSeconds, rss));
            if (rssAtBaseline == 0 && clock.Elapsed >= sizes.SoakBaseline)
            {
                rssAtBaseline = rss;
                run.Log($"soak: RSS at {sizes.SoakBaseline.TotalMinutes:F0} min {rss / 1048576.0:F1} MB, {writers.Sum(w => w.Acked):N0} TXs ACKed, {churners.Sum(c => c.Sessions):N0} churn sessions");
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var rssAtEnd = samples[^1].Rss;
        await stop.CancelAsync();
        await Task.WhenAll(churning);
        await Task.WhenAll(writing);
        var acked = writers.Sum(w => w.Acked);
        run.Log($"soak: RSS at the end {rssAtEnd / 1048576.0:F1} MB, {acked:N0} TXs ACKed ({acked / seconds:N0}/s), {churners.Sum(c => c.Sessions):N0} churn sessions; checking the data");

        var (head, mismatches) = await VerifyAsync(server, writers);
        foreach (var writer in writers)
        {
            await writer.Client.DisposeAsync();
        }

        var growth = rssAtBaseline > 0 ? (double)rssAtEnd / rssAtBaseline : double.NaN;
        var lost = acked - (long)head;
        run.Log($"soak: head position {head:N0}, {mismatches} objects not in their last ACKed state, {errors.Count} errors");
        run.Add(new BenchResult(
            "soak", $"7 Soak ({sizes.SoakDuration.TotalMinutes:F0} min): RSS at the end / at {sizes.SoakBaseline.TotalMinutes:F0} min", growth, "x", null, null,
            "<= 1.10, no errors, every ACKed TX stored", growth <= 1.10 && errors.Count == 0 && mismatches == 0 && lost == 0,
            new Dictionary<string, object>
            {
                ["writers"] = writers.Count,
                ["churners"] = churners.Count,
                ["paceTxsPerSecond"] = Math.Round(pace),
                ["achievedTxsPerSecond"] = Math.Round(acked / seconds),
                ["txsAcked"] = acked,
                ["headPosition"] = head,
                ["objectsNotInLastAckedState"] = mismatches,
                ["churnSessions"] = churners.Sum(c => c.Sessions),
                ["errors"] = errors.Count,
                ["firstError"] = errors.First ?? "",
                ["rssBaselineBytes"] = rssAtBaseline,
                ["rssEndBytes"] = rssAtEnd,
                ["rssMaxBytes"] = samples.Max(s => s.Rss),
                ["ackLatencyP50Ms"] = latency.GetValueAtPercentile(50) / 1000.0,
                ["ackLatencyP99Ms"] = latency.GetValueAtPercentile(99) / 1000.0,
                ["rssSamplesMb"] = string.Join(' ', samples.Select(s => $"{s.Seconds:F0}:{s.Rss / 1048576.0:F0}")),
            }));
    }

    /// <summary>A fresh client's full sync: the head position, and how many objects differ from their last ACKed state.</summary>
    private static async Task<(ulong Head, int Mismatches)> VerifyAsync(ServerProcess server, List<Writer> writers)
    {
        await using var client = await RawSyncClient.ConnectAsync(server.SyncUrl);
        await client.LoginOkAsync(RequestUpdatesMode.AutoNoPushes);
        var stored = new Dictionary<ulong, long>();
        ulong head;
        while (true)
        {
            var message = await client.ReceiveAsync(TimeSpan.FromMinutes(2));
            if (message is FullSyncDataMessage data)
            {
                foreach (var put in data.Ops.OfType<PutOp>())
                {
                    stored[put.ObjectId] = BenchModel.ReadSentAt(put.Data.Span);
                }
            }
            else if (message is UpdatesCompleteMessage complete)
            {
                head = complete.Position;
                break;
            }
        }

        var mismatches = 0;
        foreach (var writer in writers)
        {
            foreach (var (id, value) in writer.LastAcked())
            {
                if (!stored.TryGetValue(id, out var found) || found != value)
                {
                    mismatches++;
                }
            }
        }

        return (head, mismatches);
    }

    private sealed class ErrorCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public string? First { get; private set; }

        public void Add(string what)
        {
            if (Interlocked.Increment(ref _count) == 1)
            {
                First = what;
            }
        }
    }

    /// <summary>One writer: TX n puts object n mod objects with sentAt = n, at a fixed pace, at most <see cref="Window"/>
    /// unACKed; waits for every ACK before it ends.</summary>
    private sealed class Writer(RawSyncClient client, uint clientNumber, int objects, ErrorCounter errors)
    {
        private readonly long[] _sentAt = new long[Window * 2];
        private long _acked;
        private long _lastAckedTx;

        public RawSyncClient Client => client;

        public long Acked => Interlocked.Read(ref _acked);

        public async Task RunAsync(double txsPerSecond, LongConcurrentHistogram latency, CancellationToken stop)
        {
            var window = new SemaphoreSlim(Window, Window);
            client.StartReceiving((message, _) =>
            {
                switch ((MessageType)message[0])
                {
                    case MessageType.AckTx:
                        var ack = (AckTxMessage)MessageCodec.Decode(message);
                        latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(_sentAt[ack.ClientTxId % (ulong)_sentAt.Length]).TotalMicroseconds));
                        Volatile.Write(ref _lastAckedTx, (long)ack.ClientTxId);
                        Interlocked.Increment(ref _acked);
                        window.Release();
                        break;
                    case MessageType.Error:
                        errors.Add($"writer {clientNumber}: {RawSyncClient.Describe(MessageCodec.Decode(message))}");
                        break;
                }
            }, 4096);

            var clock = Stopwatch.StartNew();
            ulong txId = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    // The pace: TX n goes at n / rate seconds; a writer behind its schedule sends at once.
                    var due = TimeSpan.FromSeconds(txId / txsPerSecond) - clock.Elapsed;
                    if (due > TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(due, stop);
                    }

                    await window.WaitAsync(stop);
                    txId++;
                    var id = BenchModel.GlobalId(clientNumber, (txId % (ulong)objects) + 1);
                    var message = MessageCodec.Encode(new ApplyTxMessage(new ClientTx(txId, [new PutOp(BenchModel.EntityId, id, BenchModel.Create(id, (long)txId))])));
                    _sentAt[txId % (ulong)_sentAt.Length] = Stopwatch.GetTimestamp();
                    await client.SendAsync(message, CancellationToken.None);
                }
            }
            catch (OperationCanceledException)
            {
            }

            // Every TX sent gets its ACK before the check.
            for (var i = 0; i < Window; i++)
            {
                if (!await window.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None))
                {
                    errors.Add($"writer {clientNumber}: ACKs missing 60 s after the end");
                    break;
                }
            }
        }

        /// <summary>Each object's global ID and the sentAt of its last ACKed put (ACKs come in TX order).</summary>
        public IEnumerable<(ulong Id, long SentAt)> LastAcked()
        {
            var last = (ulong)Volatile.Read(ref _lastAckedTx);
            for (var k = 0UL; k < (ulong)objects && k <= last; k++)
            {
                // The largest n <= last with n mod objects == k: the last TX that put object k + 1.
                var n = last - (((last % (ulong)objects) + (ulong)objects - k) % (ulong)objects);
                if (n >= 1)
                {
                    yield return (BenchModel.GlobalId(clientNumber, k + 1), (long)n);
                }
            }
        }
    }

    /// <summary>A device that keeps coming and going: AUTO login from the position it reached, live TXs for 2–6 s, a
    /// normal close, 0.5–2 s away.</summary>
    private sealed class Churner(Uri url, ErrorCounter errors, int index)
    {
        private readonly byte[] _clientId = RandomNumberGenerator.GetBytes(16);
        private long _position;
        private int _sessions;

        public int Sessions => Volatile.Read(ref _sessions);

        public async Task RunAsync(CancellationToken stop)
        {
            var random = new Random(index);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var client = await RawSyncClient.ConnectAsync(url, receiving: false);
                    client.ClientId = _clientId;
                    var login = await client.LoginAsync(BenchModel.SchemaHash, RequestUpdatesMode.Auto, (ulong)Interlocked.Read(ref _position));
                    stop.ThrowIfCancellationRequested();
                    if (login.Code != LoginResultCode.Ok)
                    {
                        errors.Add($"churner {index}: {RawSyncClient.Describe(login)}");
                        await Task.Delay(1000, stop);
                        continue;
                    }

                    Interlocked.Increment(ref _sessions);
                    client.StartReceiving((message, _) => Observe(message), 64 * 1024, bufferOnlyWhileReceiving: true);
                    await Task.Delay(random.Next(2000, 6000), stop);
                    if (await client.CloseOutputAndWaitAsync() != System.Net.WebSockets.WebSocketCloseStatus.NormalClosure)
                    {
                        errors.Add($"churner {index}: the server ended the connection without its close frame");
                    }
                    await Task.Delay(random.Next(500, 2000), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or TimeoutException)
                {
                    errors.Add($"churner {index}: {e.Message}");
                }
            }
        }

        private void Observe(ReadOnlySpan<byte> message)
        {
            switch ((MessageType)message[0])
            {
                case MessageType.Txs:
                    Interlocked.Exchange(ref _position, (long)TxsScanner.LastPosition(message));
                    break;
                case MessageType.FullSyncEnd or MessageType.UpdatesComplete:
                    var position = MessageCodec.Decode(message) switch
                    {
                        FullSyncEndMessage end => end.SnapshotPosition,
                        UpdatesCompleteMessage complete => complete.Position,
                        _ => 0UL,
                    };
                    Interlocked.Exchange(ref _position, Math.Max(Interlocked.Read(ref _position), (long)position));
                    break;
                case MessageType.Error:
                    errors.Add($"churner {index}: {RawSyncClient.Describe(MessageCodec.Decode(message))}");
                    break;
            }
        }
    }
}
