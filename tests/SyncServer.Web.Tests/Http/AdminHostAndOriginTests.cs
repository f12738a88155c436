using System.Net;
using System.Net.WebSockets;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Http;

/// <summary>
/// docs/admin.md "Host names and origins": the admin port answers only to its own host names (400 otherwise, so no
/// redirect echoes a foreign Host and a DNS-rebound name reaches nothing), sends nosniff and a referrer policy, and
/// refuses cross-origin requests of the Blazor and statistics hubs with 403.
/// </summary>
public sealed class AdminHostAndOriginTests : IAsyncLifetime, IDisposable
{
    private const string Password = "Admin-pass-1";
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
    private InProcessServer _server = null!;

    public async Task InitializeAsync()
    {
        var config = _dir.Combine("config.json");
        await File.WriteAllTextAsync(config, """{ "allowedHosts": ["admin.example.org", "*.corp.example"] }""");
        _server = await InProcessServer.StartAsync(_dir.Combine("data"), "--unsecured-no-authentication", "--conf", config);
        await _server.CreateUserAsync("alice", Password);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("evil.com")]
    [InlineData("127.0.0.2")]
    [InlineData("admin.example.org.evil.com")]
    public async Task A_foreign_host_name_gets_400_and_no_redirect(string host)
    {
        using var page = await GetAsync("/Account/Login", host);
        using var redirect = await GetAsync("/data", host);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, redirect.StatusCode);
        Assert.Null(redirect.Headers.Location);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    [InlineData("admin.example.org")]
    [InlineData("ADMIN.example.org")]
    [InlineData("ops.corp.example")]
    public async Task The_binds_address_localhost_and_the_configured_names_are_answered(string host)
    {
        using var page = await GetAsync("/Account/Login", $"{host}:{_server.AdminUrl.Port}");
        using var redirect = await GetAsync("/data", $"{host}:{_server.AdminUrl.Port}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(host, redirect.Headers.Location!.Host, ignoreCase: true);
    }

    [Fact]
    public async Task The_sync_port_answers_any_host_name()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{_server.SyncPort}/")) { Headers = { Host = "sync.example.net" } };
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Pages_are_sent_with_nosniff_and_a_same_origin_referrer_policy_and_no_HSTS_over_http()
    {
        using var page = await GetAsync("/Account/Login", null);

        Assert.Equal("nosniff", string.Join(",", page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", string.Join(",", page.Headers.GetValues("Referrer-Policy")));
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("/_blazor/negotiate?negotiateVersion=1")]
    [InlineData("/hubs/stats/negotiate?negotiateVersion=1")]
    public async Task A_cross_origin_negotiate_of_a_logged_in_admin_is_refused_with_403(string path)
    {
        using var browser = new AdminBrowser(_server.AdminUrl);
        await browser.LoginOkAsync("alice", Password);

        using var foreign = await NegotiateAsync(path, browser.SavedCookies, "http://evil.com");
        using var otherPort = await NegotiateAsync(path, browser.SavedCookies, $"http://127.0.0.1:{_server.SyncPort}");
        using var same = await NegotiateAsync(path, browser.SavedCookies, $"http://127.0.0.1:{_server.AdminUrl.Port}");
        using var none = await NegotiateAsync(path, browser.SavedCookies, null);

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(HttpStatusCode.OK, none.StatusCode); // not a browser: no cross-site request to refuse
    }

    [Theory]
    [InlineData("/_blazor")]
    [InlineData("/hubs/stats")]
    public async Task A_cross_origin_WebSocket_of_a_logged_in_admin_is_refused_with_403(string path)
    {
        using var browser = new AdminBrowser(_server.AdminUrl);
        await browser.LoginOkAsync("alice", Password);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Cookie", browser.SavedCookies);
        socket.Options.SetRequestHeader("Origin", "http://evil.com");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        await Assert.ThrowsAsync<WebSocketException>(
            () => socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_server.AdminUrl.Port}{path}"), timeout.Token));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.AdminUrl, path));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> NegotiateAsync(string path, string cookies, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.AdminUrl, path));
        request.Headers.Add("Cookie", cookies);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await _http.SendAsync(request);
    }
}
