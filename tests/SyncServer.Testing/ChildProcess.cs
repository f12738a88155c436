using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SyncServer.Tests.Shared;

/// <summary>
/// A built program of this repository run as a separate process (<c>dotnet exec program.dll ...</c>), or the running
/// program started again in another role (<see cref="StartSelf"/>), with its standard output and error collected line by
/// line and its standard input open for commands. Dispose kills it if it is still running. Thread-safe.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly string _name;
    private readonly List<string> _output = [];
    private readonly List<string> _errors = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _readLines;
    private event Action? LineArrived;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>Standard output, one entry per line.</summary>
    public IReadOnlyList<string> Output => Snapshot(_output);

    /// <summary>Standard error, one entry per line.</summary>
    public IReadOnlyList<string> ErrorLines => Snapshot(_errors);

    public string StandardOutput => string.Join('\n', Output);

    public string StandardError => string.Join('\n', ErrorLines);

    public string AllOutput => StandardOutput + "\n--- stderr ---\n" + StandardError;

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>Starts <c>dotnet exec <paramref name="dll"/></c> with exactly <paramref name="arguments"/>.</summary>
    public static ChildProcess Start(
        string dll, string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Launch("dotnet", ["exec", dll], workingDirectory, arguments, environment, Path.GetFileNameWithoutExtension(dll));

    /// <summary>Starts the running program again (the same executable, or <c>dotnet exec</c> of the same entry assembly)
    /// with <paramref name="arguments"/>, in the current directory: a worker talking line by line over standard input and
    /// output (<see cref="WriteLineAsync"/>, <see cref="ReadLineAsync"/>).</summary>
    public static ChildProcess StartSelf(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("unknown process path");
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("unknown entry assembly");
        string[] prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? ["exec", entry] : [];
        return Launch(self, prefix, Environment.CurrentDirectory, arguments, environment, Path.GetFileNameWithoutExtension(entry));
    }

    private static ChildProcess Launch(
        string program,
        IEnumerable<string> prefix,
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        string label)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in prefix.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, label);
        process.OutputDataReceived += (_, e) => child.Add(e.Data, child._output);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data, child._errors);
        process.Exited += (_, _) => child._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/> on standard output (or error); fails with the whole
    /// output if it does not come.</summary>
    public async Task<string> WaitForLineAsync(Regex pattern, TimeSpan? timeout = null, bool inStandardError = false)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            var line = (inStandardError ? ErrorLines : Output).FirstOrDefault(pattern.IsMatch);
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
                : throw new TimeoutException($"No line matching {pattern} from {_name} (exited: {_process.HasExited}). Output:\n{AllOutput}");
        }
        finally
        {
            LineArrived -= Check;
        }
    }

    /// <summary>The next standard output line starting with <paramref name="prefix"/>, after the line this returned last
    /// (the lines between are passed over): a worker's answers, read in order.</summary>
    public async Task<string> ReadLineAsync(string prefix, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            lock (_gate)
            {
                while (!found.Task.IsCompleted && _readLines < _output.Count)
                {
                    var line = _output[_readLines++];
                    if (line.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        found.TrySetResult(line);
                    }
                }
            }
        }

        LineArrived += Check;
        try
        {
            Check();
            var done = await Task.WhenAny(found.Task, _exited.Task, Task.Delay(timeout));
            if (done == _exited.Task)
            {
                await _process.WaitForExitAsync(); // drains the output
                Check();
            }

            return found.Task.IsCompleted
                ? await found.Task
                : throw new TimeoutException(
                    $"{_name} (process {_process.Id}) gave no '{prefix}' line within {timeout.TotalSeconds:0} s (exited: {_process.HasExited}). " +
                    $"Standard error:\n{string.Join('\n', ErrorLines.TakeLast(30))}");
        }
        finally
        {
            LineArrived -= Check;
        }
    }

    /// <summary>Writes one line to the process's standard input.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the process to end by itself and returns its exit code (all output is collected by then).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_name} did not exit. Output:\n{AllOutput}");
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

    /// <summary>SIGKILL: the process dies at once, with no chance to flush or close anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private IReadOnlyList<string> Snapshot(List<string> lines)
    {
        lock (_gate)
        {
            return [.. lines];
        }
    }

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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
