using System.Runtime.InteropServices;

namespace SyncServer.Bench.Infrastructure;

/// <summary>The open-file limit (RLIMIT_NOFILE): every WebSocket is a file descriptor, in the clients and in the server.
/// Raising the soft limit to the hard one here also raises it for the processes this one starts.</summary>
internal static class FileLimit
{
    private const int RlimitNoFile = 7;

    /// <summary>Raises the soft limit to the hard limit; returns the soft limit in effect afterwards.</summary>
    public static long RaiseToMaximum()
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RlimitNoFile, out var limit) != 0)
        {
            return -1;
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (SetRLimit(RlimitNoFile, in raised) == 0)
            {
                return (long)raised.Current;
            }
        }

        return (long)limit.Current;
    }

    [StructLayout(LayoutKind.Sequential)]
    private record struct RLimit(ulong Current, ulong Maximum);

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, in RLimit limit);
}
