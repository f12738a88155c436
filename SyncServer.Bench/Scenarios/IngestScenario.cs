using SyncServer.Bench.Infrastructure;
using SyncServer.Bench.Results;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Scenarios;

/// <summary>
/// Scenario 1: one raw client sends <see cref="BenchSizes.IngestObjects"/> PUTs of 100-byte objects in TXs of 1,000,
/// pipelined (<see cref="BenchSizes.IngestWindow"/> unACKed); objects per second from the first send to the last ACK.
/// The messages are encoded before the clock starts. <see cref="BenchSizes.IngestWarmupTxs"/> TXs go first as warm-up (not
/// measured: a fresh server process is still compiling its hot paths). Leaves all objects in the server for
/// <see cref="CatchUpScenario"/>.
/// </summary>
internal static class IngestScenario
{

    /// <returns>The number of objects now in the server (warm-up included).</returns>
    public static async Task<int> RunAsync(BenchRun run, ServerProcess server, bool report)
    {
        var sizes = run.Sizes;
        var perTx = sizes.IngestObjectsPerTx;
        var txCount = sizes.IngestObjects / perTx;
        await using var client = await RawSyncClient.ConnectAsync(server.SyncUrl, receiving: false);
        await client.LoginOkAsync(RequestUpdatesMode.Manual);
        using var sender = new PipelinedSender(client, sizes.IngestWindow);

        ulong nextTxId = 1, nextLocalId = 1;
        List<byte[]> Encode(int count)
        {
            var messages = new List<byte[]>(count);
            for (var t = 0; t < count; t++)
            {
                var ops = new SyncOp[perTx];
                for (var i = 0; i < perTx; i++)
                {
                    var id = BenchModel.GlobalId(client.ClientNumber, nextLocalId++);
                    ops[i] = new PutOp(BenchModel.EntityId, id, BenchModel.Create(id, 0));
                }

                messages.Add(MessageCodec.Encode(new ApplyTxMessage(new ClientTx(nextTxId++, ops))));
            }

            return messages;
        }

        await sender.SendAllAsync(Encode(sizes.IngestWarmupTxs), TimeSpan.FromMinutes(2));
        var messages = Encode(txCount);
        var bytes = messages.Sum(m => (long)m.Length);
        run.Log($"ingest: {txCount} TXs of {perTx} objects ({bytes / 1048576.0:F1} MB) encoded; sending");
        var cpu = CpuSample.Take(server.ProcessId);
        var elapsed = await sender.SendAllAsync(messages, TimeSpan.FromMinutes(30));
        var objects = txCount * perTx;
        var usage = CpuSample.Take(server.ProcessId).Since(cpu, objects, "Object");
        var rate = objects / elapsed.TotalSeconds;
        if (report)
        {
            var r1 = run.SqliteRowsPerSecond;
            var met = rate >= 150_000 && (r1 is null || rate >= 0.5 * r1.Value);
            run.Add(new BenchResult(
                "ingest", "1 Ingest (1 client, TXs of 1,000 puts)", rate, "objects/s", "r1", r1,
                ">= 150,000 objects/s and >= 0.5 x r1", met,
                new Dictionary<string, object>
                {
                    ["objects"] = objects,
                    ["txs"] = txCount,
                    ["objectsPerTx"] = perTx,
                    ["objectBytes"] = BenchModel.Size,
                    ["messageBytes"] = bytes,
                    ["window"] = sizes.IngestWindow,
                    ["warmupObjects"] = sizes.IngestWarmupTxs * perTx,
                    ["seconds"] = Math.Round(elapsed.TotalSeconds, 3),
                }.With(usage)));
        }

        return objects + (sizes.IngestWarmupTxs * perTx);
    }
}
