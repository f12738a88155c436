using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SyncServer.Bench.Infrastructure;

/// <summary>
/// The real sync-server (<c>dotnet exec sync-server.dll</c>) in its own process: a fresh data directory, free loopback
/// ports, <c>--unsecured-no-authentication --log-level warn</c>. Ready once its sync port answers HTTP. Its output is kept
/// (warnings would show a problem during a run).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Lock _gate = new();

    private ServerProcess(Process process, int syncPort, string dataDirectory)
    {
        _process = process;
        SyncPort = syncPort;
        DataDirectory = dataDirectory;
    }

    public int SyncPort { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    public Uri SyncUrl => new($"ws://127.0.0.1:{SyncPort}/");

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

    public static async Task<ServerProcess> StartAsync(string serverDll, string dataDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var modelFile = Path.Combine(dataDirectory, "objectbox-model.json");
        await File.WriteAllTextAsync(modelFile, BenchModel.Json);
        var syncPort = FreePort.Next();
        var adminPort = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "exec", serverDll, "--model", modelFile, "--db-directory", Path.Combine(dataDirectory, "db"),
            "--bind", $"ws://127.0.0.1:{syncPort}", "--admin-bind", $"http://127.0.0.1:{adminPort}",
            "--unsecured-no-authentication", "--log-level", "warn",
        })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, syncPort, dataDirectory);
        process.OutputDataReceived += (_, e) => server.Add(e.Data);
        process.ErrorDataReceived += (_, e) => server.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>VmRSS of the server process, in bytes.</summary>
    public long ReadRssBytes() => ReadRssBytes(_process.Id);

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

    /// <summary>Stops the server with SIGTERM (a clean shutdown) and waits; kills it after 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException(
                    $"sync-server exited with code {_process.ExitCode} at start:\n{string.Join('\n', Output)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{SyncPort}/"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"sync-server did not answer on port {SyncPort} within {timeout.TotalSeconds} s:\n{string.Join('\n', Output)}");
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_output.Count < 1000)
            {
                _output.Add(line);
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
