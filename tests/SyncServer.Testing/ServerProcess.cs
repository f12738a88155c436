using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SyncServer.Tests.Shared;

/// <summary>
/// The real sync-server started as a separate process (<c>dotnet sync-server.dll ...</c>) on free loopback ports, with its
/// console output collected line by line. Dispose kills it if it is still running. The tests start the server built
/// beside them (<see cref="TestPaths.ServerDll"/>); the benchmark starts the one it is given (<see cref="StartDll"/>).
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private ServerProcess(ChildProcess process, int syncPort, int adminPort, bool tls)
    {
        _process = process;
        SyncPort = syncPort;
        AdminPort = adminPort;
        Tls = tls;
    }

    public int SyncPort { get; }
    public int AdminPort { get; }

    /// <summary>Started with wss:// and https:// binds (<see cref="StartTlsAndWaitAsync"/>).</summary>
    public bool Tls { get; }
    public Uri SyncHttpUrl => new($"{(Tls ? "https" : "http")}://127.0.0.1:{SyncPort}/");
    public Uri AdminUrl => new($"{(Tls ? "https" : "http")}://127.0.0.1:{AdminPort}/");

    /// <summary>The sync URL clients connect to.</summary>
    public Uri SyncUrl => new($"{(Tls ? "wss" : "ws")}://127.0.0.1:{SyncPort}/");

    public int ProcessId => _process.ProcessId;

    public IReadOnlyList<string> Output => _process.Output;

    /// <summary>Standard error, one entry per line.</summary>
    public IReadOnlyList<string> ErrorLines => _process.ErrorLines;

    public string StandardError => _process.StandardError;

    public string AllOutput => _process.AllOutput;

    /// <summary>Starts the server with <paramref name="arguments"/>; adds --bind/--admin-bind on free ports unless given.</summary>
    public static ServerProcess Start(string workingDirectory, params string[] arguments) =>
        Launch(workingDirectory, arguments, addBinds: true);

    /// <summary>As <see cref="Start(string, string[])"/>, with extra environment variables (e.g. <c>Sync__HeartbeatTimeout</c>).</summary>
    public static ServerProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Launch(workingDirectory, arguments, addBinds: true, environment);

    /// <summary>As <see cref="Start(string, IReadOnlyDictionary{string, string}, string[])"/>, with the server
    /// <paramref name="serverDll"/> instead of the one built beside the tests.</summary>
    public static ServerProcess StartDll(
        string serverDll, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Launch(workingDirectory, arguments, addBinds: true, environment, dll: serverDll);

    /// <summary>Runs sync-server with exactly <paramref name="arguments"/> (for --help, --version, option errors).</summary>
    public static ServerProcess StartPlain(string workingDirectory, params string[] arguments) =>
        Launch(workingDirectory, arguments, addBinds: false);

    /// <summary>Starts the server and waits until it logged "Sync server started".</summary>
    public static Task<ServerProcess> StartAndWaitAsync(string workingDirectory, params string[] arguments) =>
        StartAndWaitAsync(workingDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>Starts the server with extra environment variables and waits until it logged "Sync server started".</summary>
    public static async Task<ServerProcess> StartAndWaitAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var server = Start(workingDirectory, environment, arguments);
        await server.WaitForLineAsync(StartedLine());
        return server;
    }

    /// <summary>Starts the server with wss:// and https:// binds on free ports and waits until it started.</summary>
    public static async Task<ServerProcess> StartTlsAndWaitAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var server = Launch(workingDirectory, arguments, addBinds: true, environment, tls: true);
        await server.WaitForLineAsync(StartedLine());
        return server;
    }

    /// <summary>Polls the sync port until it answers an HTTP GET with success (for a server started with a log level that
    /// hides the "started" line); fails with the whole output if the server exits or does not answer in time.</summary>
    public async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"sync-server exited with code {await WaitForExitAsync()} at start. Output:\n{AllOutput}");
            }

            try
            {
                using var response = await http.GetAsync(SyncHttpUrl);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"sync-server did not answer on port {SyncPort} within {timeout.TotalSeconds} s. Output:\n{AllOutput}");
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/>; fails with the whole output if it does not come.</summary>
    public Task<string> WaitForLineAsync(Regex pattern, TimeSpan? timeout = null) => _process.WaitForLineAsync(pattern, timeout);

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public Task<int> WaitForExitAsync(TimeSpan? timeout = null) => _process.WaitForExitAsync(timeout);

    /// <summary>Sends SIGTERM (what Ctrl+C / systemd stop do) and waits for the exit code.</summary>
    public Task<int> StopAsync() => _process.StopAsync();

    /// <summary>SIGKILL: the process dies at once, with no chance to flush or close anything.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public static Regex StartedLine() => StartedRegex();

    private static ServerProcess Launch(
        string workingDirectory,
        string[] arguments,
        bool addBinds,
        IReadOnlyDictionary<string, string>? environment = null,
        bool tls = false,
        string? dll = null)
    {
        var bindIndex = Array.FindIndex(arguments, a => a is "--bind" or "-b");
        var syncPort = bindIndex >= 0 && bindIndex + 1 < arguments.Length ? new Uri(arguments[bindIndex + 1]).Port : FreePort.Next();
        var adminPort = FreePort.Next();
        var all = new List<string>(arguments);
        if (addBinds && bindIndex < 0)
        {
            all.AddRange(["--bind", $"{(tls ? "wss" : "ws")}://127.0.0.1:{syncPort}"]);
        }

        if (addBinds && !arguments.Contains("--admin-bind"))
        {
            all.AddRange(["--admin-bind", $"{(tls ? "https" : "http")}://127.0.0.1:{adminPort}"]);
        }

        return new ServerProcess(ChildProcess.Start(dll ?? TestPaths.ServerDll, workingDirectory, all, environment), syncPort, adminPort, tls);
    }

    [GeneratedRegex(@"\[INFO \] \[SySvAp\] Sync server started in \d+\.\d\d ms$")]
    private static partial Regex StartedRegex();
}
