using SyncServer.Core.Model;
using SyncServer.Core.Protocol;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Admin;

/// <summary>
/// docs/admin.md "Lockout and recovery": the last active admin can be neither locked nor deleted, also when two admins
/// act on each other at the same moment, and a locked or deleted admin cannot log in on the sync port either.
/// </summary>
public sealed class AdminLockoutTests : IAsyncLifetime, IDisposable
{
    private const string Password = "Admin-pass-1";
    private readonly TempDirectory _dir = new();
    private InProcessServer _server = null!;
    private string _alice = "";
    private string _bob = "";

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(_dir.Combine("data"), "--auth-obx-admin");
        _alice = await _server.CreateUserAsync("alice", Password);
        _bob = await _server.CreateUserAsync("bob", Password);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>After <see cref="DisposeAsync"/>: the server has released the directory.</summary>
    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_admins_locking_each_other_at_the_same_moment_leave_one_of_them_active()
    {
        for (var round = 0; round < 10; round++)
        {
            var results = await Task.WhenAll(
                Task.Run(() => _server.Users.SetLockedAsync(_alice, _bob, locked: true)),
                Task.Run(() => _server.Users.SetLockedAsync(_bob, _alice, locked: true)));

            Assert.Single(results, r => r.Succeeded);
            var active = Assert.Single(await _server.Users.ListAsync(), u => !u.IsLockedOut);
            var locked = active.Id == _alice ? _bob : _alice;
            Assert.True((await _server.Users.SetLockedAsync(active.Id, locked, locked: false)).Succeeded);
        }
    }

    [Fact]
    public async Task Two_admins_deleting_each_other_at_the_same_moment_leave_one_of_them()
    {
        var results = await Task.WhenAll(
            Task.Run(() => _server.Users.DeleteAsync(_alice, _bob)),
            Task.Run(() => _server.Users.DeleteAsync(_bob, _alice)));

        Assert.Single(results, r => r.Succeeded);
        var left = Assert.Single(await _server.Users.ListAsync());
        Assert.False(left.IsLockedOut);
    }

    [Fact]
    public async Task A_locked_admin_cannot_log_in_on_the_sync_port_and_can_again_once_unlocked()
    {
        Assert.Equal(LoginResultCode.Ok, await SyncLoginAsync("bob"));

        Assert.True((await _server.Users.SetLockedAsync(_alice, _bob, locked: true)).Succeeded);
        Assert.Equal(LoginResultCode.CredentialsRejected, await SyncLoginAsync("bob"));

        Assert.True((await _server.Users.SetLockedAsync(_alice, _bob, locked: false)).Succeeded);
        Assert.Equal(LoginResultCode.Ok, await SyncLoginAsync("bob"));
    }

    [Fact]
    public async Task A_deleted_admin_cannot_log_in_on_the_sync_port()
    {
        Assert.Equal(LoginResultCode.Ok, await SyncLoginAsync("bob"));

        Assert.True((await _server.Users.DeleteAsync(_alice, _bob)).Succeeded);

        Assert.Equal(LoginResultCode.CredentialsRejected, await SyncLoginAsync("bob"));
    }

    private async Task<LoginResultCode> SyncLoginAsync(string user)
    {
        var hash = Convert.FromHexString(ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel)).Hash);
        await using var client = await RawSyncClient.ConnectAsync(_server.SyncPort);
        var result = await client.LoginAsync(
            hash, RequestUpdatesMode.Manual, credentialType: CredentialType.ObxAdminUser, credentials: AdminUserCredentials.Encode(user, Password));
        return result.Code;
    }
}
