using System.Globalization;

namespace SyncServer.Bench;

/// <summary>The orchestrator's command line: <c>[--quick] [--only a,b,...] [--out file] [--server-dll path] [--data-root dir] [--keep]</c>.</summary>
internal sealed record BenchOptions
{
    public static readonly string[] AllParts = ["r1", "r2", "ingest", "small", "fanout-a", "fanout-b", "catchup", "connections", "filter-fullsync", "filter-fanout", "filter-ingest", "soak", "hostile"];

    public bool Quick { get; init; }

    public IReadOnlySet<string> Parts { get; init; } = new HashSet<string>(AllParts, StringComparer.Ordinal);

    public string OutputFile { get; init; } = "sync-bench-results.json";

    public string? ServerDll { get; init; }

    public string DataRoot { get; init; } = Path.GetTempPath();

    /// <summary>Keep the run's data directories (server databases, client stores) for inspection.</summary>
    public bool Keep { get; init; }

    /// <summary>Extra environment variables for the server processes (e.g. EventPipe settings to profile one).</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Overrides the ingest (and catch-up) size.</summary>
    public int? IngestObjects { get; init; }

    public BenchSizes Sizes => (Quick ? BenchSizes.Quick : BenchSizes.Full) is var sizes && IngestObjects is { } objects
        ? sizes with { IngestObjects = objects }
        : Quick ? BenchSizes.Quick : BenchSizes.Full;

    public bool Runs(string part) => Parts.Contains(part);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "--only" => options with { Parts = ParseParts(Value()) },
                "--out" => options with { OutputFile = Value() },
                "--server-dll" => options with { ServerDll = Value() },
                "--data-root" => options with { DataRoot = Value() },
                "--keep" => options with { Keep = true },
                "--ingest-objects" => options with { IngestObjects = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--server-env" => options with { ServerEnvironment = WithVariable(options.ServerEnvironment, Value()) },
                var other => throw new ArgumentException($"unknown option {other}"),
            };
        }

        return options;
    }

    public static string Usage => string.Create(CultureInfo.InvariantCulture, $"""
        usage: sync-bench [--quick] [--only {string.Join(',', AllParts)}] [--out results.json] [--server-dll path] [--data-root dir] [--keep]
          --quick       small sizes (development); the targets are stated for the full sizes
          --only        run only these parts (comma-separated)
          --out         JSON results file (default sync-bench-results.json)
          --server-dll  the sync-server.dll to run (default: SyncServer.Web's build output of this configuration)
          --data-root   where temporary data directories go (default: the temp directory)
          --keep        keep the data directories
          --ingest-objects N      ingest (and catch-up) size instead of the default
          --server-env NAME=VALUE extra environment for the server processes (repeatable), e.g. EventPipe tracing
        """);

    private static Dictionary<string, string> WithVariable(IReadOnlyDictionary<string, string> environment, string assignment)
    {
        var (name, value) = assignment.Split('=', 2) is [var n, var v] ? (n, v) : throw new ArgumentException($"--server-env takes NAME=VALUE, got {assignment}");
        return new Dictionary<string, string>(environment, StringComparer.Ordinal) { [name] = value };
    }

    private static HashSet<string> ParseParts(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = parts.Except(AllParts).ToList();
        return unknown.Count == 0 ? parts : throw new ArgumentException($"unknown part(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllParts)}");
    }
}
