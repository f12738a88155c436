namespace SyncServer.Browser.Tests;

/// <summary>
/// A second real sync-server for one test class, started when the class starts: its statistics begin empty (the
/// per-second charts are still filling up, so their point count can be seen to grow), and its admin is created from
/// the environment (SYNCSERVER_ADMIN_USER/PASSWORD) instead of the setup page.
/// </summary>
public sealed class FreshServerFixture : IAsyncLifetime, IDisposable
{
    public const string AdminUser = "ops";
    public const string AdminPassword = "Ops-pass-123";

    private readonly TempDirectory _dir = new();
    private readonly SemaphoreSlim _projectsGate = new(1, 1);
    private RawSyncClient? _client;
    private IReadOnlyList<ulong>? _projects;

    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAndWaitAsync(
            _dir.Path,
            new Dictionary<string, string> { ["SYNCSERVER_ADMIN_USER"] = AdminUser, ["SYNCSERVER_ADMIN_PASSWORD"] = AdminPassword },
            "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");

    /// <summary>
    /// Three projects synced by a raw client that stays connected until the fixture ends (made on the first call; see
    /// <see cref="SyncTraffic.ApplyTransactionsAsync"/>); their global IDs.
    /// </summary>
    public async Task<IReadOnlyList<ulong>> ProjectsAsync()
    {
        await _projectsGate.WaitAsync();
        try
        {
            _client ??= await RawSyncClient.ConnectAsync(Server.SyncPort);
            return _projects ??= await SyncTraffic.ApplyTransactionsAsync(_client, 3);
        }
        finally
        {
            _projectsGate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    /// <summary>After <see cref="DisposeAsync"/>: the server has released the directory.</summary>
    public void Dispose()
    {
        _projectsGate.Dispose();
        _dir.Dispose();
    }
}
