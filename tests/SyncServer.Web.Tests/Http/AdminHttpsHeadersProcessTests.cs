using System.Net;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Http;

/// <summary>docs/admin.md "Host names and origins": under https:// the admin port sends HSTS; the real server process with a test certificate.</summary>
public sealed class AdminHttpsHeadersProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Under_https_the_admin_pages_are_sent_with_HSTS_nosniff_and_a_referrer_policy()
    {
        var certificate = TestCertificate.CreatePemFiles(_dir.Combine("tls"));
        var config = _dir.Combine("sync-server-config.json");
        await File.WriteAllTextAsync(config, """{ "certificatePath": "tls" }""");
        await using var server = await ServerProcess.StartTlsAndWaitAsync(
            _dir.Path, new Dictionary<string, string>(), "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "-c", config);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && cert.RawData.AsSpan().SequenceEqual(certificate.RawData),
            AllowAutoRedirect = false,
        };
        using var http = new HttpClient(handler) { BaseAddress = server.AdminUrl };

        using var page = await http.GetAsync(new Uri("/Account/Login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("max-age=31536000", string.Join(",", page.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("nosniff", string.Join(",", page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", string.Join(",", page.Headers.GetValues("Referrer-Policy")));
    }
}
