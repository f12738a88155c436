using System.Net;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Http;

/// <summary>docs/admin.md "Logging in": login and logout follow only local return URLs; anything else is the home page, never a 500.</summary>
public sealed class ReturnUrlTests : IAsyncLifetime, IDisposable
{
    private const string Password = "Admin-pass-1";
    private readonly TempDirectory _dir = new();
    private InProcessServer _server = null!;

    public async Task InitializeAsync()
    {
        // Many logins from one address in these tests: a high per-address limit.
        var config = _dir.Combine("config.json");
        await File.WriteAllTextAsync(config, """{ "sync": { "loginFailuresPerAddress": 1000 } }""");
        _server = await InProcessServer.StartAsync(_dir.Combine("data"), "--unsecured-no-authentication", "--conf", config);
        await _server.CreateUserAsync("alice", Password);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("//evil.com")]
    [InlineData("//evil.com/data")]
    [InlineData("/\\evil.com")]
    [InlineData("\\\\evil.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("http://evil.com/")]
    [InlineData("https://evil.com/data")]
    [InlineData("/\t/evil.com")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    public async Task A_login_with_a_foreign_return_url_goes_to_the_home_page(string returnUrl)
    {
        using var browser = new AdminBrowser(_server.AdminUrl);
        using var response = await browser.LoginAsync("alice", Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(_server.AdminUrl, response.Headers.Location!);
        Assert.Equal(_server.AdminUrl.Authority, target.Authority);
        Assert.Equal("/", target.AbsolutePath);
        Assert.Contains("SyncServer.Admin=", browser.SavedCookies, StringComparison.Ordinal); // logged in all the same
    }

    [Theory]
    [InlineData("/data", "/data")]
    [InlineData("/schema?version=1", "/schema")]
    [InlineData("data", "/data")]
    [InlineData("", "/")]
    public async Task A_login_with_a_local_return_url_goes_there(string returnUrl, string path)
    {
        using var browser = new AdminBrowser(_server.AdminUrl);
        using var response = await browser.LoginAsync("alice", Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(_server.AdminUrl, response.Headers.Location!);
        Assert.Equal(_server.AdminUrl.Authority, target.Authority);
        Assert.Equal(path, target.AbsolutePath);
    }

    [Theory]
    [InlineData("/evil.com", "/evil.com")]
    [InlineData("//evil.com", "/")]
    [InlineData("/\\evil.com", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("https://evil.com/", "/")]
    [InlineData("data", "/data")]
    public async Task Logout_redirects_only_to_local_paths(string returnUrl, string path)
    {
        using var browser = new AdminBrowser(_server.AdminUrl);
        await browser.LoginOkAsync("alice", Password);

        using var response = await browser.LogoutAsync(returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.False(location.StartsWith("//", StringComparison.Ordinal) || location.StartsWith("/\\", StringComparison.Ordinal), location);
        var target = new Uri(_server.AdminUrl, response.Headers.Location!);
        Assert.Equal(_server.AdminUrl.Authority, target.Authority);
        Assert.Equal(path, target.AbsolutePath);
    }
}
