using System.Runtime.InteropServices;

namespace SyncServer.Bench.Results;

/// <summary>What the figures were measured on.</summary>
internal static class MachineInfo
{
    public static Dictionary<string, object?> Describe(BenchRun run) => new()
    {
        ["processors"] = Environment.ProcessorCount,
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["cpu"] = CpuModel(),
        ["memoryBytes"] = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        ["dataFileSystem"] = FileSystemOf(run.Directory),
        ["benchConfiguration"] = Configuration,
        ["serverDll"] = run.ServerDll,
        ["serverGc"] = run.ServerGcEnvironment,
        ["fileLimit"] = run.FileLimit,
    };

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static string? CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;

    /// <summary>The mount (device, type) holding <paramref name="path"/>, from /proc/mounts: fsync costs differ a lot between them.</summary>
    private static string? FileSystemOf(string path)
    {
        if (!File.Exists("/proc/mounts"))
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        return File.ReadLines("/proc/mounts")
            .Select(line => line.Split(' '))
            .Where(f => f.Length >= 3 && (full == f[1] || full.StartsWith(f[1].TrimEnd('/') + "/", StringComparison.Ordinal)))
            .OrderByDescending(f => f[1].Length)
            .Select(f => $"{f[0]} on {f[1]} ({f[2]})")
            .FirstOrDefault();
    }
}
