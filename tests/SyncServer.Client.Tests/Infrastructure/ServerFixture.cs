namespace SyncServer.Client.Tests.Infrastructure;

/// <summary>The real sync-server on a fixed port and data directory, so a test can stop, kill and restart it.
/// <paramref name="extraArguments"/> are added to every start (e.g. <c>--log-level debug</c>).</summary>
internal sealed class ServerFixture(string modelPath, string dataDirectory, int port, params string[] extraArguments) : IAsyncDisposable
{
    public ServerProcess? Process { get; private set; }

    public Uri Url => new($"ws://127.0.0.1:{port}/");

    /// <summary>Environment variables of every start (e.g. <c>Sync__AckDelayForTests</c>); set before <see cref="StartAsync"/>.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task StartAsync()
    {
        Process = await ServerProcess.StartAndWaitAsync(
            dataDirectory,
            Environment,
            ["--model", modelPath, "--unsecured-no-authentication", "-d", Path.Combine(dataDirectory, "server"), "--bind", Url.ToString().TrimEnd('/'), .. extraArguments]);
    }

    /// <summary>SIGTERM, as an operator stops the server: it closes the sessions and the database cleanly.</summary>
    public async Task<int> StopAsync()
    {
        var exitCode = await Process!.StopAsync();
        await Process.DisposeAsync();
        Process = null;
        return exitCode;
    }

    public async Task KillAsync()
    {
        if (Process is not null)
        {
            await Process.KillAsync();
            await Process.DisposeAsync();
            Process = null;
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync();
}
