using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using SyncServer.Bench.Infrastructure;
using SyncServer.Bench.Results;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Scenarios;

/// <summary>
/// Scenario 9, sync filters (docs/filters.md): the servers run with <c>syncFilters</c> <c>BenchItem: payload IN
/// $client.owners</c>, objects carry their owner ("owner-0042") as payload, and each client logs in (protocol version 2)
/// with the owners it may see. 9a filtered full sync; 9b filtered fan-out; 9c ingest with filters configured.
/// </summary>
internal static class FilterScenario
{
    public const string Filter = "payload IN $client.owners";
    private const int Owners = 1_000;
    private const int TxObjects = 1_000;

    private static readonly Dictionary<string, string> FilteredServer = new(StringComparer.Ordinal) { ["SyncFilters__BenchItem"] = Filter };

    /// <summary>9a: a new client of one owner (1,000 visible of 1,000,000) completes its full sync in at most twice the time
    /// a full sync of 1,000 objects takes from a server that holds only those (median of several of each).</summary>
    public static async Task FullSyncAsync(BenchRun run)
    {
        var total = run.Options.Quick ? 100_000 : 1_000_000;
        var perOwner = total / Owners;
        const int Rounds = 7;
        await using var big = await run.StartServerAsync("filter-fullsync-big", FilteredServer);
        var loadSeconds = await LoadAsync(big, total);
        run.Log($"9a: {total:N0} objects of {Owners} owners loaded in {loadSeconds:F1} s; {Rounds} filtered full syncs");
        var filtered = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var (seconds, puts, other) = await TimeFullSyncAsync(big, [Owner((round * 37) % Owners)]);
            if (puts != perOwner || other != 0)
            {
                throw new InvalidOperationException($"9a: the filtered full sync sent {puts} objects ({other} of other owners), expected {perOwner}");
            }

            filtered.Add(seconds);
        }

        await using var small = await run.StartServerAsync("filter-fullsync-small");
        await LoadAsync(small, perOwner, ownerCount: 1);
        var plain = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            plain.Add((await TimeFullSyncAsync(small, null)).Seconds);
        }

        var filteredMs = Median(filtered) * 1000;
        var plainMs = Median(plain) * 1000;
        run.Add(new BenchResult(
            "filter-fullsync", $"9a Filtered full sync ({perOwner:N0} of {total:N0} objects visible)", filteredMs, "ms", null, null,
            $"<= 2 x a full sync of {perOwner:N0} objects from a server holding only those", filteredMs <= 2 * plainMs,
            new Dictionary<string, object>
            {
                ["objects"] = total,
                ["owners"] = Owners,
                ["visible"] = perOwner,
                ["filter"] = Filter,
                ["rounds"] = Rounds,
                ["filteredMedianMs"] = Math.Round(filteredMs, 2),
                ["filteredMinMs"] = Math.Round(filtered.Min() * 1000, 2),
                ["filteredMaxMs"] = Math.Round(filtered.Max() * 1000, 2),
                ["unfilteredMedianMs"] = Math.Round(plainMs, 2),
                ["unfilteredMinMs"] = Math.Round(plain.Min() * 1000, 2),
                ["unfilteredMaxMs"] = Math.Round(plain.Max() * 1000, 2),
                ["ratio"] = Math.Round(filteredMs / plainMs, 2),
                ["loadSeconds"] = Math.Round(loadSeconds, 1),
            }));
    }

    /// <summary>9b: 1,000 subscribers each filtered to its own owner, one writer at 100 TX/s to random owners: p99 at most
    /// the unfiltered 3b p99 of the same run, and every TX reaches exactly its owner's subscriber.</summary>
    public static async Task FanOutAsync(BenchRun run)
    {
        var size = run.Sizes.FanOutB;
        await using var server = await run.StartServerAsync("filter-fanout", FilteredServer);
        var histogram = new LongConcurrentHistogram(1, 60_000_000, 3);
        var measureFrom = long.MaxValue;
        long delivered = 0, wrong = 0;
        var ready = new CountdownEvent(size.Subscribers);
        var subscribers = new List<RawSyncClient>(size.Subscribers);
        for (var i = 0; i < size.Subscribers; i += 50)
        {
            subscribers.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(50, size.Subscribers - i)).Select(async n =>
            {
                var owner = Owner(n);
                var client = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
                await client.LoginOkAsync(RequestUpdatesMode.Auto, [FilterVariable.List("owners", owner)]);
                client.StartReceiving((message, receivedUnixNs) =>
                {
                    switch ((MessageType)message[0])
                    {
                        case MessageType.Txs:
                            foreach (var tx in ((TxsMessage)MessageCodec.Decode(message)).Txs)
                            {
                                foreach (var op in tx.DecodeOps())
                                {
                                    if (op is not PutOp put)
                                    {
                                        continue;
                                    }

                                    if (BenchModel.ReadPayload(put.Data.Span) != owner)
                                    {
                                        Interlocked.Increment(ref wrong);
                                    }

                                    var sentAt = BenchModel.ReadSentAt(put.Data.Span);
                                    if (sentAt >= Volatile.Read(ref measureFrom))
                                    {
                                        histogram.RecordValue(Math.Max(1, (receivedUnixNs - sentAt) / 1000));
                                        Interlocked.Increment(ref delivered);
                                    }
                                }
                            }

                            break;
                        case MessageType.UpdatesComplete:
                            ready.Signal();
                            break;
                    }
                }, 4096);
                return client;
            })));
        }

        if (!ready.Wait(TimeSpan.FromMinutes(2)))
        {
            throw new TimeoutException($"9b: only {size.Subscribers - ready.CurrentCount} of {size.Subscribers} subscribers caught up");
        }

        await using var writer = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
        await writer.LoginOkAsync(RequestUpdatesMode.Manual, [AllOwners(size.Subscribers)]);
        var writerErrors = 0;
        writer.StartReceiving((message, _) =>
        {
            if ((MessageType)message[0] == MessageType.Error)
            {
                Interlocked.Increment(ref writerErrors);
            }
        }, 4096);
        run.Log($"9b: {size.Subscribers} filtered subscribers ready; writer at {size.TxsPerSecond} TXs/s to random owners");
        var random = new Random(9);
        ulong txId = 0;
        await PaceAsync(writer, size.TxsPerSecond, size.Warmup, () => ++txId, () => Owner(random.Next(size.Subscribers)));
        Volatile.Write(ref measureFrom, UnixClock.NowUnixNs());
        var cpu = CpuSample.Take(server.ProcessId);
        var measured = await PaceAsync(writer, size.TxsPerSecond, size.Duration, () => ++txId, () => Owner(random.Next(size.Subscribers)));
        var usage = CpuSample.Take(server.ProcessId).Since(cpu, measured, "Tx");
        var drain = Stopwatch.StartNew();
        while (Interlocked.Read(ref delivered) < measured && drain.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await Task.Delay(500); // a TX that reached a wrong subscriber late would show now
        foreach (var subscriber in subscribers)
        {
            await subscriber.DisposeAsync();
        }

        var p99Ms = histogram.GetValueAtPercentile(99) / 1000.0;
        var unfiltered = run.Results.FirstOrDefault(r => r.Id == "fanout-b")?.Value;
        run.Add(new BenchResult(
            "filter-fanout", $"9b Filtered fan-out p99 ({size.Subscribers} subscribers, one owner each; writer at {size.TxsPerSecond}/s)",
            p99Ms, "ms", "3b p99", unfiltered, "p99 <= the unfiltered 3b p99; every TX to exactly its owner's subscriber",
            unfiltered is { } reference && p99Ms <= reference && delivered == measured && wrong == 0 && writerErrors == 0,
            new Dictionary<string, object>
            {
                ["subscribers"] = size.Subscribers,
                ["txsPerSecond"] = size.TxsPerSecond,
                ["measuredTxs"] = measured,
                ["deliveriesExpected"] = measured,
                ["deliveries"] = Interlocked.Read(ref delivered),
                ["deliveriesToOtherOwners"] = Interlocked.Read(ref wrong),
                ["writerErrors"] = writerErrors,
                ["p50Ms"] = histogram.GetValueAtPercentile(50) / 1000.0,
                ["p90Ms"] = histogram.GetValueAtPercentile(90) / 1000.0,
                ["p99Ms"] = p99Ms,
                ["maxMs"] = histogram.GetMaxValue() / 1000.0,
            }.With(usage)));
    }

    /// <summary>9c: ingest with filters configured (the writer may write every owner) at least 0.8 x the same ingest into a
    /// server without filters, both measured here with the same objects (median of three turns each); scenario 1's figure
    /// is reported beside them.</summary>
    public static async Task IngestAsync(BenchRun run)
    {
        // Both servers run side by side and take turns (plain, filtered, plain, ...): this machine's speed drifts between
        // seconds, and one pair measured back to back was 0.65 or 0.84 depending on which of them met the slow moment.
        const int Rounds = 3;
        var total = run.Sizes.IngestObjects;
        await using var plainServer = await run.StartServerAsync("filter-ingest-plain");
        await using var filteredServer = await run.StartServerAsync("filter-ingest-filtered", FilteredServer);
        var warmup = TxObjects * 20;
        await LoadAsync(plainServer, warmup);
        await LoadAsync(filteredServer, warmup);
        var plainRates = new List<double>();
        var filteredRates = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var first = (ulong)(warmup + (round * total)) + 1;
            plainRates.Add(total / await LoadAsync(plainServer, total, firstLocalId: first));
            filteredRates.Add(total / await LoadAsync(filteredServer, total, firstLocalId: first));
        }

        var plain = Median(plainRates);
        var filtered = Median(filteredRates);
        var scenario1 = run.Results.FirstOrDefault(r => r.Id == "ingest")?.Value;
        run.Add(new BenchResult(
            "filter-ingest", "9c Ingest with sync filters configured (TXs of 1,000 puts)", filtered, "objects/s", "unfiltered", plain,
            ">= 0.8 x the same ingest without filters", filtered >= 0.8 * plain,
            new Dictionary<string, object>
            {
                ["objects"] = total,
                ["rounds"] = Rounds,
                ["filter"] = Filter,
                ["unfilteredObjectsPerSecond"] = string.Join(" / ", plainRates.Select(r => Math.Round(r).ToString(CultureInfo.InvariantCulture))),
                ["filteredObjectsPerSecond"] = string.Join(" / ", filteredRates.Select(r => Math.Round(r).ToString(CultureInfo.InvariantCulture))),
                ["ratio"] = Math.Round(filtered / plain, 3),
                ["scenario1ObjectsPerSecond"] = scenario1 is { } s1 ? Math.Round(s1) : -1,
            }));
    }

    private static string Owner(int n) => string.Create(CultureInfo.InvariantCulture, $"owner-{n:D4}");

    private static FilterVariable AllOwners(int count) => FilterVariable.List("owners", [.. Enumerable.Range(0, count).Select(Owner)]);

    /// <summary>Puts <paramref name="count"/> owned objects in TXs of 1,000, each TX one owner's (as a user's device writes
    /// them; TX t is owner t mod <paramref name="ownerCount"/>), from one client that may write every owner; seconds from
    /// the first send to the last ACK.</summary>
    private static async Task<double> LoadAsync(ServerProcess server, int count, int ownerCount = Owners, ulong firstLocalId = 1)
    {
        await using var client = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
        await client.LoginOkAsync(RequestUpdatesMode.Manual, [AllOwners(ownerCount)]);
        using var sender = new PipelinedSender(client, 8);
        var perTx = Math.Max(1, Math.Min(TxObjects, count / ownerCount)); // so that every owner gets objects
        var messages = new List<byte[]>(count / perTx);
        var localId = firstLocalId;
        for (var t = 0; t < count / perTx; t++)
        {
            var ops = new SyncOp[perTx];
            for (var i = 0; i < perTx; i++)
            {
                var id = BenchModel.GlobalId(client.ClientNumber, localId);
                ops[i] = new PutOp(BenchModel.EntityId, id, BenchModel.CreateOwned(id, 0, Owner(t % ownerCount)));
                localId++;
            }

            messages.Add(MessageCodec.Encode(new ApplyTxMessage(new ClientTx((ulong)t + 1, ops))));
        }

        return (await sender.SendAllAsync(messages, TimeSpan.FromMinutes(30))).TotalSeconds;
    }

    /// <summary>A new client's full sync: seconds from LOGIN to UPDATES_COMPLETE, objects received, and how many of them
    /// belong to an owner it was not given.</summary>
    private static async Task<(double Seconds, int Puts, int Other)> TimeFullSyncAsync(ServerProcess server, string[]? owners)
    {
        await using var client = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
        var started = Stopwatch.GetTimestamp();
        await client.LoginOkAsync(RequestUpdatesMode.AutoNoPushes, owners is null ? null : [FilterVariable.List("owners", owners)]);
        var (puts, other) = (0, 0);
        var done = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StartReceiving((message, _) =>
        {
            switch ((MessageType)message[0])
            {
                case MessageType.FullSyncData:
                    foreach (var op in ((FullSyncDataMessage)MessageCodec.Decode(message)).Ops)
                    {
                        if (op is PutOp put)
                        {
                            puts++;
                            other += owners is not null && !owners.Contains(BenchModel.ReadPayload(put.Data.Span)) ? 1 : 0;
                        }
                    }

                    break;
                case MessageType.UpdatesComplete:
                    done.TrySetResult(Stopwatch.GetElapsedTime(started).TotalSeconds);
                    break;
            }
        }, 4096);
        var seconds = await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        return (seconds, puts, other);
    }

    private static async Task<int> PaceAsync(RawSyncClient writer, int rate, TimeSpan duration, Func<ulong> nextTxId, Func<string> nextOwner)
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
                var message = MessageCodec.Encode(new ApplyTxMessage(new ClientTx(txId, [new PutOp(BenchModel.EntityId, id, BenchModel.CreateOwned(id, UnixClock.NowUnixNs(), nextOwner()))])));
                await writer.SendAsync(message, CancellationToken.None);
                sent++;
            }

            await Task.Delay(1);
        }

        return total;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
