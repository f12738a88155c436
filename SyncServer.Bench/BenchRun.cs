using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SyncServer.Bench.References;
using SyncServer.Bench.Results;

namespace SyncServer.Bench;

/// <summary>One benchmark run: options, where the server is, the run's temporary directory, the references measured so
/// far and the results.</summary>
internal sealed class BenchRun(BenchOptions options, string serverDll, string directory)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _servers;

    public BenchOptions Options { get; } = options;

    public BenchSizes Sizes => Options.Sizes;

    public string ServerDll { get; } = serverDll;

    public string Directory { get; } = directory;

    public List<BenchResult> Results { get; } = [];

    /// <summary>r1: SQLite rows per second (batched, FULL).</summary>
    public double? SqliteRowsPerSecond { get; set; }

    public IReadOnlyDictionary<string, object>? SqliteDetails { get; set; }

    /// <summary>r1c: one-row durable commit latency, microseconds (p50, p99, max), and commits per second.</summary>
    public (double P50Us, double P99Us, double MaxUs, double PerSecond)? CommitLatency { get; set; }

    /// <summary>The open-file limit in effect (raised to the hard limit at start).</summary>
    public long FileLimit { get; set; }

    /// <summary>r2: Kestrel WebSocket echo figures.</summary>
    public EchoFigures? Echo { get; set; }

    /// <summary>Environment variables giving a child process the server's GC settings (from sync-server.runtimeconfig.json).</summary>
    public IReadOnlyDictionary<string, string> ServerGcEnvironment { get; } = ReadGcSettings(serverDll);

    public void Log(string message) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,7:F1} s] {message}"));

    public string NewDirectory(string name)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A fresh server with its own data directory and the benchmark's model, on free loopback ports, with
    /// <c>--unsecured-no-authentication --log-level warn</c>; ready once its sync port answers HTTP. Its output is kept
    /// (warnings would show a problem during a run).</summary>
    /// <param name="name">The scenario's name (for the data directory and the log).</param>
    /// <param name="environment">Environment variables beyond <see cref="BenchOptions.ServerEnvironment"/>.</param>
    public async Task<ServerProcess> StartServerAsync(string name, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = NewDirectory($"server-{++_servers}-{name}");
        var modelFile = Path.Combine(directory, "objectbox-model.json");
        await File.WriteAllTextAsync(modelFile, BenchModel.Json);
        var server = ServerProcess.StartDll(
            ServerDll, directory, environment is null ? Options.ServerEnvironment : Options.ServerEnvironment.Concat(environment).ToDictionary(),
            "--model", modelFile, "--db-directory", Path.Combine(directory, "db"), "--unsecured-no-authentication", "--log-level", "warn");
        try
        {
            await server.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        Log($"server for {name} started (pid {server.ProcessId}, port {server.SyncPort}, RSS {ProcessMemory.ReadRssBytes(server.ProcessId) / 1048576.0:F1} MB)");
        return server;
    }

    /// <summary>Prints what the server wrote (warn level and above) during a scenario, so problems do not go unseen.</summary>
    public void ReportServerOutput(ServerProcess server, string scenario)
    {
        var lines = server.Output.Concat(server.ErrorLines).Where(line => !string.IsNullOrWhiteSpace(line)).ToList();
        if (lines.Count > 0)
        {
            Log($"server output during {scenario} ({lines.Count} lines, first 10):");
            foreach (var line in lines.Take(10))
            {
                Console.WriteLine("    " + line);
            }
        }
    }

    public void Add(BenchResult result)
    {
        Results.Add(result);
        var ratio = result.Ratio is { } r ? string.Create(CultureInfo.InvariantCulture, $" ({r:F2} x {result.ReferenceId})") : "";
        var met = result.TargetMet switch { true => "MET", false => "MISSED", null => "-" };
        Log(string.Create(CultureInfo.InvariantCulture, $"==> {result.Name}: {ResultTable.Format(result.Value)} {result.Unit}{ratio}; target {result.Target ?? "-"}: {met}"));
        if (result.Details.TryGetValue("serverCores", out var server))
        {
            var perUnit = result.Details.FirstOrDefault(d => d.Key.StartsWith("serverCpuUsPer", StringComparison.Ordinal));
            Log(string.Create(CultureInfo.InvariantCulture,
                $"    CPU cores used: server {server}, clients {result.Details["clientCores"]}, other processes {result.Details["otherProcessesCores"]} (of {Environment.ProcessorCount}); server {perUnit.Value} us CPU per {perUnit.Key["serverCpuUsPer".Length..].ToLowerInvariant()}"));
        }
    }

    private static Dictionary<string, string> ReadGcSettings(string serverDll)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var config = Path.ChangeExtension(serverDll, ".runtimeconfig.json");
        if (!File.Exists(config))
        {
            return environment;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(config));
        if (json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties))
        {
            foreach (var (key, variable) in new[] { ("System.GC.Server", "DOTNET_gcServer"), ("System.GC.Concurrent", "DOTNET_gcConcurrent") })
            {
                if (properties.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    environment[variable] = value.GetBoolean() ? "1" : "0";
                }
            }

            if (properties.TryGetProperty("System.GC.DynamicAdaptationMode", out var datas) && datas.ValueKind == JsonValueKind.Number)
            {
                environment["DOTNET_GCDynamicAdaptationMode"] = datas.GetInt32().ToString(CultureInfo.InvariantCulture);
            }
        }

        return environment;
    }
}
