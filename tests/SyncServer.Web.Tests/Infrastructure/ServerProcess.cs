using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SyncServer.Web.Tests.Infrastructure;

/// <summary>
/// The real sync-server started as a separate process (<c>dotnet sync-server.dll ...</c>) on free loopback ports, with its
/// console output collected line by line. Dispose kills it if it is still running.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _errors = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private event Action? LineArrived;

    private ServerProcess(Process process, int syncPort, int adminPort, bool tls)
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
    public Uri SyncUrl => new($"{(Tls ? "wss" : "ws")}://127.0.0.1:{SyncPort}/");
    public Uri AdminUrl => new($"{(Tls ? "https" : "http")}://127.0.0.1:{AdminPort}/");

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_gate)
            {
                return [.. _output];
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _errors);
            }
        }
    }

    public string AllOutput => string.Join('\n', Output) + "\n--- stderr ---\n" + StandardError;

    /// <summary>Starts the server with <paramref name="arguments"/>; adds --bind/--admin-bind on free ports unless given.</summary>
    public static ServerProcess Start(string workingDirectory, params string[] arguments) =>
        Launch(workingDirectory, arguments, addBinds: true);

    /// <summary>As <see cref="Start"/>, with extra environment variables (e.g. <c>Sync__HeartbeatTimeout</c>).</summary>
    public static ServerProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Launch(workingDirectory, arguments, addBinds: true, environment);

    /// <summary>Runs sync-server with exactly <paramref name="arguments"/> (for --help, --version, option errors).</summary>
    public static ServerProcess StartPlain(string workingDirectory, params string[] arguments) =>
        Launch(workingDirectory, arguments, addBinds: false);

    /// <summary>Starts the server with wss:// and https:// binds on free ports and waits until it started.</summary>
    public static async Task<ServerProcess> StartTlsAndWaitAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var server = Launch(workingDirectory, arguments, addBinds: true, environment, tls: true);
        await server.WaitForLineAsync(StartedLine());
        return server;
    }

    private static ServerProcess Launch(
        string workingDirectory, string[] arguments, bool addBinds, IReadOnlyDictionary<string, string>? environment = null, bool tls = false)
    {
        var syncPort = FreePort.Next();
        var adminPort = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(TestPaths.ServerDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (addBinds && !arguments.Contains("--bind") && !arguments.Contains("-b"))
        {
            info.ArgumentList.Add("--bind");
            info.ArgumentList.Add($"{(tls ? "wss" : "ws")}://127.0.0.1:{syncPort}");
        }

        if (addBinds && !arguments.Contains("--admin-bind"))
        {
            info.ArgumentList.Add("--admin-bind");
            info.ArgumentList.Add($"{(tls ? "https" : "http")}://127.0.0.1:{adminPort}");
        }

        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, syncPort, adminPort, tls);
        process.OutputDataReceived += (_, e) => server.Add(e.Data, server._output);
        process.ErrorDataReceived += (_, e) => server.Add(e.Data, server._errors);
        process.Exited += (_, _) => server._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts the server and waits until it logged "Sync server started".</summary>
    public static async Task<ServerProcess> StartAndWaitAsync(string workingDirectory, params string[] arguments)
    {
        var server = Start(workingDirectory, arguments);
        await server.WaitForLineAsync(StartedLine());
        return server;
    }

    /// <summary>Starts the server with extra environment variables and waits until it logged "Sync server started".</summary>
    public static async Task<ServerProcess> StartAndWaitAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var server = Start(workingDirectory, environment, arguments);
        await server.WaitForLineAsync(StartedLine());
        return server;
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/>; fails with the whole output if it does not come.</summary>
    public async Task<string> WaitForLineAsync(Regex pattern, TimeSpan? timeout = null)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            var line = Output.FirstOrDefault(pattern.IsMatch);
            if (line is not null)
            {
                found.TrySetResult(line);
            }
        }

        LineArrived += Check;
        try
        {
            Check();
            var done = await Task.WhenAny(found.Task, _exited.Task, Task.Delay(timeout ?? DefaultTimeout));
            if (done == _exited.Task)
            {
                await _process.WaitForExitAsync(); // drains the output
                Check();
            }

            return found.Task.IsCompleted
                ? await found.Task
                : throw new TimeoutException($"No line matching {pattern} (exited: {_process.HasExited}). Output:\n{AllOutput}");
        }
        finally
        {
            LineArrived -= Check;
        }
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"sync-server did not exit. Output:\n{AllOutput}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM (what Ctrl+C / systemd stop do) and waits for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }

        return await WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static Regex StartedLine() => StartedRegex();

    private void Add(string? line, List<string> target)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.Add(line);
        }

        LineArrived?.Invoke();
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"\[INFO \] \[SySvAp\] Sync server started in \d+\.\d\d ms$")]
    private static partial Regex StartedRegex();
}
