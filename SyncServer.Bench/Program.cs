using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using SyncServer.Bench;
using SyncServer.Bench.Infrastructure;
using SyncServer.Bench.References;
using SyncServer.Bench.Results;
using SyncServer.Bench.Scenarios;

// sync-bench: the load benchmark (docs/benchmark.md). Runs the real sync-server in its own process against raw protocol
// clients and the SDK, next to this machine's raw reference speeds (r1 SQLite, r2 Kestrel WebSocket echo). The same
// executable also serves as the echo server of r2 and as the connection workers of scenario 5.
if (args.Length > 0 && args[0] == "echo-server")
{
    return await EchoServer.RunAsync(int.Parse(args[2], CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == "connections-worker")
{
    return await ConnectionsWorker.RunAsync(new Uri(args[2]), int.Parse(args[4], CultureInfo.InvariantCulture));
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"sync-bench: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var serverDll = options.ServerDll ?? Path.GetFullPath(Path.Combine(
    AppContext.BaseDirectory, "..", "..", "..", "..", "SyncServer.Web", "bin", MachineInfo.Configuration, "net10.0", "sync-server.dll"));
if (!File.Exists(serverDll))
{
    Console.Error.WriteLine($"sync-bench: {serverDll} not found; build the solution (or pass --server-dll)");
    return 2;
}

var started = DateTimeOffset.UtcNow;
var total = Stopwatch.StartNew();
var directory = Path.Combine(options.DataRoot, $"sync-bench-{started:yyyyMMdd-HHmmss}");
var run = new BenchRun(options, serverDll, directory) { FileLimit = FileLimit.RaiseToMaximum() };
run.Log($"sync-bench ({MachineInfo.Configuration}{(options.Quick ? ", quick sizes" : "")}): server {serverDll}, data in {directory}, open-file limit {run.FileLimit}");
#if DEBUG
run.Log("WARNING: a Debug build; run with -c Release for figures that mean anything");
#endif

try
{
    var sizes = options.Sizes;
    if (options.Runs("r1"))
    {
        run.Log($"r1: SQLite insert of {sizes.SqliteRows:N0} rows of {BenchModel.Size} bytes, 1,000 per transaction");
        run.SqliteRowsPerSecond = SqliteReference.Run(run.NewDirectory("r1"), sizes.SqliteRows, BenchModel.Size, out var sqliteDetails);
        run.SqliteDetails = sqliteDetails;
        run.Log($"==> r1: {run.SqliteRowsPerSecond:N0} rows/s");
        var commits = CommitLatencyCommits(options);
        var latency = SqliteReference.CommitLatency(run.NewDirectory("r1c"), commits, BenchModel.Size, out var perSecond);
        run.CommitLatency = (latency.GetValueAtPercentile(50), latency.GetValueAtPercentile(99), latency.GetMaxValue(), perSecond);
        run.Log($"==> r1c: one-row commits {perSecond:N0}/s, latency p50 {run.CommitLatency.Value.P50Us / 1000:F2} ms, p99 {run.CommitLatency.Value.P99Us / 1000:F2} ms, max {run.CommitLatency.Value.MaxUs / 1000:F2} ms");
    }

    if (options.Runs("r2"))
    {
        run.Log($"r2: Kestrel WebSocket echo, {sizes.EchoConnections} connections, {sizes.EchoDuration.TotalSeconds:F0} s");
        run.Echo = await EchoReference.RunAsync(sizes, run.ServerGcEnvironment);
        run.Log($"==> r2: {run.Echo.RoundTripsPerSecond:N0} round trips/s; RTT p50 {run.Echo.RttP50Us} us, p99 {run.Echo.RttP99Us} us; idle {run.Echo.IdleBytesPerConnection / 1024:F1} KB/connection");
    }

    if (options.Runs("ingest") || options.Runs("catchup"))
    {
        await using var server = await run.StartServerAsync("ingest");
        var objects = await IngestScenario.RunAsync(run, server, report: options.Runs("ingest"));
        if (options.Runs("catchup"))
        {
            await CatchUpScenario.RunAsync(run, server, objects);
        }

        run.ReportServerOutput(server, "ingest and catch-up");
    }

    if (options.Runs("small"))
    {
        await using var server = await run.StartServerAsync("small");
        await SmallTxScenario.RunAsync(run, server);
        run.ReportServerOutput(server, "small TXs");
    }

    if (options.Runs("fanout-a"))
    {
        await using var server = await run.StartServerAsync("fanout-a");
        await FanOutScenario.RunAsync(run, server, "fanout-a", sizes.FanOutA, targetP99Ms: 5);
        run.ReportServerOutput(server, "fan-out a");
    }

    if (options.Runs("fanout-b"))
    {
        await using var server = await run.StartServerAsync("fanout-b");
        await FanOutScenario.RunAsync(run, server, "fanout-b", sizes.FanOutB, targetP99Ms: 50);
        run.ReportServerOutput(server, "fan-out b");
    }

    if (options.Runs("connections"))
    {
        await using var server = await run.StartServerAsync("connections");
        await ConnectionsScenario.RunAsync(run, server);
        run.ReportServerOutput(server, "connections");
    }

    // Scenario 9 after 1 and 3b: 9b and 9c compare with their figures of the same run.
    if (options.Runs("filter-fullsync"))
    {
        await FilterScenario.FullSyncAsync(run);
    }

    if (options.Runs("filter-fanout"))
    {
        await FilterScenario.FanOutAsync(run);
    }

    if (options.Runs("filter-ingest"))
    {
        await FilterScenario.IngestAsync(run);
    }

    if (options.Runs("soak"))
    {
        await using var server = await run.StartServerAsync("soak");
        await SoakScenario.RunAsync(run, server);
        run.ReportServerOutput(server, "soak");
    }

    if (options.Runs("hostile"))
    {
        await HostileScenario.RunAsync(run);
    }
}
finally
{
    Console.WriteLine();
    Console.WriteLine(ResultTable.Render(run));
    ResultTable.WriteJson(run, options.OutputFile, started, total.Elapsed);
    run.Log($"results written to {Path.GetFullPath(options.OutputFile)}");
    if (!options.Keep && Directory.Exists(directory))
    {
        Directory.Delete(directory, recursive: true);
    }
}

return run.Results.All(r => r.TargetMet != false) ? 0 : 1;

static int CommitLatencyCommits(BenchOptions options) => options.Quick ? 500 : 2000;
