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

    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAndWaitAsync(
            _dir.Path,
            new Dictionary<string, string> { ["SYNCSERVER_ADMIN_USER"] = AdminUser, ["SYNCSERVER_ADMIN_PASSWORD"] = AdminPassword },
            "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>After <see cref="DisposeAsync"/>: the server has released the directory.</summary>
    public void Dispose() => _dir.Dispose();
}
