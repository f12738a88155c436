using System.Diagnostics;
using System.Globalization;

namespace SyncServer.Bench.Infrastructure;

/// <summary>
/// CPU time of the server, of this process (the clients) and of the whole machine at one moment, from /proc. The
/// difference of two samples says how many cores each used during a measurement, and how much other processes took:
/// this machine is shared, so a missed target can be contention rather than the server.
/// </summary>
internal readonly record struct CpuSample(long Timestamp, double ServerSeconds, double BenchSeconds, double MachineBusySeconds, double MachineTotalSeconds)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static CpuSample Take(int serverPid) => new(
        Stopwatch.GetTimestamp(), ProcessSeconds(serverPid), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, MachineBusy(out var total), total);

    /// <summary>Cores used on average between <paramref name="start"/> and this sample, and the server's CPU seconds.</summary>
    public Dictionary<string, object> Since(CpuSample start, double units, string unit)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp).TotalSeconds;
        var server = ServerSeconds - start.ServerSeconds;
        var bench = BenchSeconds - start.BenchSeconds;
        var machine = MachineBusySeconds - start.MachineBusySeconds;
        var round = (double value) => Math.Round(value, 3);
        return new Dictionary<string, object>
        {
            ["serverCores"] = round(server / wall),
            ["clientCores"] = round(bench / wall),
            ["otherProcessesCores"] = round(Math.Max(0, machine - server - bench) / wall),
            ["machineCores"] = Environment.ProcessorCount,
            [$"serverCpuUsPer{unit}"] = units > 0 ? round(server * 1e6 / units) : 0,
        };
    }

    private static double ProcessSeconds(int pid)
    {
        try
        {
            // /proc/<pid>/stat: fields after the ")" of the command name; utime and stime are fields 14 and 15.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static double MachineBusy(out double total)
    {
        // /proc/stat "cpu user nice system idle iowait irq softirq steal ...": busy = all but idle and iowait.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var all = fields.Take(8).Sum();
        total = all / TicksPerSecond;
        return (all - fields[3] - fields[4]) / TicksPerSecond;
    }
}
