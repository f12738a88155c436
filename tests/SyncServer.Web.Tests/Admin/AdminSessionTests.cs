using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SyncServer.Web.Admin;
using SyncServer.Web.Components.Account;
using SyncServer.Web.Data;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Admin;

/// <summary>
/// docs/admin.md "Sessions": deleting, locking or resetting a user, and logging out, end that user's sessions at once:
/// a cookie saved before gets the login redirect (pages) or 401 (API) on its very next request, and a live circuit's
/// login ends. Real server in-process on Kestrel loopback ports, real cookies, the services the Users page calls.
/// </summary>
public sealed class AdminSessionTests : IAsyncLifetime, IDisposable
{
    private const string Password = "Admin-pass-1";
    private readonly TempDirectory _dir = new();
    private InProcessServer _server = null!;
    private string _alice = "";
    private string _bob = "";

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(_dir.Combine("data"), "--unsecured-no-authentication");
        _alice = await _server.CreateUserAsync("alice", Password);
        _bob = await _server.CreateUserAsync("bob", Password);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>After <see cref="DisposeAsync"/>: the server has released the directory.</summary>
    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Deleting_a_user_ends_their_saved_cookie_at_once()
    {
        var saved = await LoggedInCookiesAsync("bob");

        Assert.True((await _server.Users.DeleteAsync(_alice, _bob)).Succeeded);

        await AssertEndedAsync(saved);
    }

    [Fact]
    public async Task Locking_a_user_ends_their_saved_cookie_at_once()
    {
        var saved = await LoggedInCookiesAsync("bob");

        Assert.True((await _server.Users.SetLockedAsync(_alice, _bob, locked: true)).Succeeded);

        await AssertEndedAsync(saved);
    }

    [Fact]
    public async Task Resetting_a_password_ends_the_users_saved_cookie_at_once()
    {
        var saved = await LoggedInCookiesAsync("bob");

        Assert.True((await _server.Users.ResetPasswordAsync(_alice, _bob, "Other-pass-2")).Succeeded);

        await AssertEndedAsync(saved);
    }

    [Fact]
    public async Task Logging_out_ends_a_cookie_saved_before()
    {
        using var browser = new AdminBrowser(_server.AdminUrl);
        await browser.LoginOkAsync("bob", Password);
        var saved = browser.SavedCookies;
        using (var ok = await AdminBrowser.ReplayAsync(_server.AdminUrl, saved, "/data"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var logout = await browser.LogoutAsync();

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        await AssertEndedAsync(saved);
    }

    [Fact]
    public async Task Another_users_cookie_keeps_working()
    {
        var alice = await LoggedInCookiesAsync("alice");
        await LoggedInCookiesAsync("bob");

        Assert.True((await _server.Users.DeleteAsync(_alice, _bob)).Succeeded);

        using var data = await AdminBrowser.ReplayAsync(_server.AdminUrl, alice, "/data");
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("lock")]
    [InlineData("reset")]
    public async Task A_live_circuit_of_the_user_loses_its_login_at_once(string action)
    {
        var sessions = _server.Services.GetRequiredService<AdminSessions>();
        using var circuit = await CircuitOfAsync(_bob);
        await PollAsync(() => sessions.Count(_bob) == 1, "the circuit subscribes for its user");
        Assert.Equal("bob", (await circuit.GetAuthenticationStateAsync()).User.Identity?.Name);

        var result = action switch
        {
            "delete" => await _server.Users.DeleteAsync(_alice, _bob),
            "lock" => await _server.Users.SetLockedAsync(_alice, _bob, locked: true),
            _ => await _server.Users.ResetPasswordAsync(_alice, _bob, "Other-pass-2"),
        };

        Assert.True(result.Succeeded, result.Message);
        var state = await circuit.GetAuthenticationStateAsync();
        Assert.False(state.User.Identity?.IsAuthenticated ?? false);
        Assert.Equal(0, sessions.Count(_bob));
    }

    [Fact]
    public async Task A_circuit_whose_user_was_deleted_before_it_subscribed_loses_its_login()
    {
        var principal = await PrincipalAsync(_bob);
        Assert.True((await _server.Users.DeleteAsync(_alice, _bob)).Succeeded);
        using var circuit = NewCircuit();

        circuit.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

        await PollAsync(async () => !((await circuit.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated ?? false), "the circuit's first check");
    }

    [Fact]
    public async Task A_locked_admin_cannot_unlock_himself_or_change_anything()
    {
        Assert.True((await _server.Users.SetLockedAsync(_alice, _bob, locked: true)).Succeeded);

        var unlock = await _server.Users.SetLockedAsync(_bob, _bob, locked: false);
        var delete = await _server.Users.DeleteAsync(_bob, _alice);

        Assert.False(unlock.Succeeded);
        Assert.StartsWith("Your login has ended", unlock.Message, StringComparison.Ordinal);
        Assert.False(delete.Succeeded);
        Assert.Contains(await _server.Users.ListAsync(), u => u.Name == "bob" && u.IsLockedOut);
        Assert.Contains(await _server.Users.ListAsync(), u => u.Name == "alice" && !u.IsLockedOut);
    }

    private async Task<string> LoggedInCookiesAsync(string user)
    {
        using var browser = new AdminBrowser(_server.AdminUrl);
        await browser.LoginOkAsync(user, Password);
        var saved = browser.SavedCookies;
        using var data = await AdminBrowser.ReplayAsync(_server.AdminUrl, saved, "/data");
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
        using var export = await AdminBrowser.ReplayAsync(_server.AdminUrl, saved, "/api/export.json");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        return saved;
    }

    private async Task AssertEndedAsync(string saved)
    {
        using var data = await AdminBrowser.ReplayAsync(_server.AdminUrl, saved, "/data");
        Assert.Equal(HttpStatusCode.Redirect, data.StatusCode);
        Assert.Contains("/Account/Login", data.Headers.Location?.ToString(), StringComparison.Ordinal);
        using var users = await AdminBrowser.ReplayAsync(_server.AdminUrl, saved, "/users");
        Assert.Equal(HttpStatusCode.Redirect, users.StatusCode);
        using var export = await AdminBrowser.ReplayAsync(_server.AdminUrl, saved, "/api/export.json");
        Assert.Equal(HttpStatusCode.Unauthorized, export.StatusCode);
    }

    // The circuit's authentication state provider, as Blazor creates one per circuit and hands it the connection's user.
    private async Task<IdentityRevalidatingAuthenticationStateProvider> CircuitOfAsync(string userId)
    {
        var circuit = NewCircuit();
        circuit.SetAuthenticationState(Task.FromResult(new AuthenticationState(await PrincipalAsync(userId))));
        return circuit;
    }

    private IdentityRevalidatingAuthenticationStateProvider NewCircuit() => new(
        _server.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(),
        _server.Services.GetRequiredService<IServiceScopeFactory>(),
        _server.Services.GetRequiredService<IOptions<IdentityOptions>>(),
        _server.Services.GetRequiredService<AdminSessions>());

    /// <summary>The principal a login cookie of <paramref name="userId"/> carries (security stamp included).</summary>
    private async Task<ClaimsPrincipal> PrincipalAsync(string userId)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AdminUser>>();
        return await factory.CreateAsync((await users.FindByIdAsync(userId))!);
    }

    private static Task PollAsync(Func<bool> condition, string what) => PollAsync(() => Task.FromResult(condition()), what);

    private static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(10);
        }
    }
}
