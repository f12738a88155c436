using System.Globalization;

namespace SyncServer.Tests.Shared;

/// <summary>What Linux reports of a process's memory (/proc/PID/status).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS of process <paramref name="pid"/>, in bytes.</summary>
    public static long ReadRssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }
}
