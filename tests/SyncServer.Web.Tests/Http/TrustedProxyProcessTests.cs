using System.Net;
using System.Text.RegularExpressions;
using SyncServer.Core.Model;
using SyncServer.Core.Protocol;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Http;

/// <summary>
/// docs/auth.md "Behind a proxy": with <c>trustedProxies</c>, the sync login throttle, the sync logs and the admin login
/// count the client's address from <c>X-Forwarded-For</c>, so one bad client behind a proxy does not block everyone;
/// from anyone else the header is ignored. Bad values exit 2 naming the key. The real server process.
/// </summary>
public sealed class TrustedProxyProcessTests : IDisposable
{
    private const string Secret = "proxy-secret-0123456789";
    private const string Password = "Admin-pass-1";
    private static readonly byte[] SchemaHash = Convert.FromHexString(ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel)).Hash);
    private static readonly Dictionary<string, string> ThreeFailures = new()
    {
        ["Sync__LoginFailuresPerAddress"] = "3",
        ["SYNCSERVER_ADMIN_USER"] = "ops",
        ["SYNCSERVER_ADMIN_PASSWORD"] = Password,
    };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Behind_a_trusted_proxy_a_guessing_client_is_blocked_by_its_forwarded_address_and_others_still_log_in()
    {
        await using var server = await StartAsync("""["127.0.0.1"]""");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LoginResultCode.CredentialsRejected, await SyncLoginAsync(server, "203.0.113.5", $"guess-{i}"));
        }

        Assert.Equal(LoginResultCode.RequestRejected, await SyncLoginAsync(server, "203.0.113.5", Secret));
        Assert.Equal(LoginResultCode.Ok, await SyncLoginAsync(server, "203.0.113.6", Secret));
        Assert.Equal(LoginResultCode.Ok, await SyncLoginAsync(server, "198.51.100.1, 203.0.113.7", Secret)); // the last hop counts
        await server.WaitForLineAsync(new Regex(@"\[WARN \] \[SvAuth\] Too many failed logins from 203\.0\.113\.5"));

        // The admin login: the same, with its own count.
        using (var guesser = new AdminBrowser(server.AdminUrl, "203.0.113.5"))
        {
            for (var i = 0; i < 3; i++)
            {
                using var failed = await guesser.LoginAsync($"guess{i}", "Wrong-pass-9");
                Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            }

            using var blocked = await guesser.LoginAsync("ops", Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        }

        using var other = new AdminBrowser(server.AdminUrl, "203.0.113.6");
        await other.LoginOkAsync("ops", Password);
        await server.WaitForLineAsync(new Regex(@"\[WARN \] \[HttpSv\] Admin login failed for ""guess0"" from 203\.0\.113\.5$"));
    }

    [Fact]
    public async Task Without_trusted_proxies_X_Forwarded_For_is_ignored_and_cannot_escape_the_throttle()
    {
        await using var server = await StartAsync(null);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LoginResultCode.CredentialsRejected, await SyncLoginAsync(server, $"203.0.113.{i}", $"guess-{i}"));
        }

        Assert.Equal(LoginResultCode.RequestRejected, await SyncLoginAsync(server, "203.0.113.99", Secret));
        await server.WaitForLineAsync(new Regex(@"\[WARN \] \[SvAuth\] Too many failed logins from 127\.0\.0\.1"));
    }

    [Fact]
    public async Task A_trusted_proxy_network_in_CIDR_notation_is_trusted_too()
    {
        await using var server = await StartAsync("""["10.0.0.0/8", "127.0.0.0/8", "fd00::/8"]""");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LoginResultCode.CredentialsRejected, await SyncLoginAsync(server, "203.0.113.5", $"guess-{i}"));
        }

        Assert.Equal(LoginResultCode.Ok, await SyncLoginAsync(server, "203.0.113.6", Secret));
    }

    [Theory]
    [InlineData("""{ "trustedProxies": ["10.0.0.0/33"] }""", null, "Config: trustedProxies: '10.0.0.0/33' is not an IP address or network")]
    [InlineData("""{ "trustedProxies": ["proxy.local"] }""", null, "Config: trustedProxies: 'proxy.local' is not an IP address or network")]
    [InlineData("""{ "trustedProxies": "10.0.0.1" }""", null, "key 'trustedProxies' must be an array of strings")]
    [InlineData("{}", "SYNCSERVER_TRUSTED_PROXIES=10.0.0.1,nope", "SYNCSERVER_TRUSTED_PROXIES (environment): 'nope' is not an IP address or network")]
    [InlineData("""{ "allowedHosts": ["https://admin.example.org"] }""", null, "Config: allowedHosts: 'https://admin.example.org' is not a host name")]
    [InlineData("""{ "allowedHosts": ["admin.example.org:9980"] }""", null, "Config: allowedHosts: 'admin.example.org:9980' is not a host name")]
    [InlineData("{}", "SYNCSERVER_ALLOWED_HOSTS=ok.example.org,bad/path", "SYNCSERVER_ALLOWED_HOSTS (environment): 'bad/path' is not a host name")]
    public async Task A_bad_proxy_or_host_setting_exits_2_with_one_line_naming_it_and_writes_nothing(string config, string? variable, string expected)
    {
        var file = _dir.Combine("config.json");
        await File.WriteAllTextAsync(file, config);
        var environment = new Dictionary<string, string>();
        if (variable is not null)
        {
            var (name, value) = (variable[..variable.IndexOf('=', StringComparison.Ordinal)], variable[(variable.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            environment[name] = value;
        }

        await using var server = ServerProcess.Start(_dir.Path, environment, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "-c", file);

        Assert.Equal(2, await server.WaitForExitAsync());
        var line = Assert.Single(server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("objectbox")), "the data directory was created");
    }

    private async Task<ServerProcess> StartAsync(string? trustedProxies)
    {
        var config = _dir.Combine("config.json");
        var proxies = trustedProxies is null ? "" : $$""", "trustedProxies": {{trustedProxies}}""";
        await File.WriteAllTextAsync(config, $$"""{ "auth": { "sharedSecret": "{{Secret}}" }{{proxies}} }""");
        return await ServerProcess.StartAndWaitAsync(_dir.Path, ThreeFailures, "--model", TestPaths.ExampleModel, "-c", config);
    }

    private static async Task<LoginResultCode> SyncLoginAsync(ServerProcess server, string forwardedFor, string secret)
    {
        await using var client = await RawSyncClient.ConnectAsync(
            server.SyncUrl, configure: options => options.SetRequestHeader("X-Forwarded-For", forwardedFor));
        return (await client.LoginWithSecretAsync(SchemaHash, secret, RequestUpdatesMode.Manual)).Code;
    }
}
