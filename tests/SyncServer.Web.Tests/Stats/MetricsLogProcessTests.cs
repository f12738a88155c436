using System.Net;
using System.Text.RegularExpressions;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Stats;

/// <summary>docs/metrics.md: refused scrapes of <c>/metrics</c> write nothing at the default log level (info).</summary>
public sealed class MetricsLogProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Fifty_anonymous_and_fifty_wrong_token_scrapes_write_no_info_line()
    {
        await using var server = await ServerProcess.StartAndWaitAsync(
            _dir.Path,
            new Dictionary<string, string> { ["SYNCSERVER_METRICS_TOKEN"] = "the-right-token" },
            "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");
        var before = server.Output.Count;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var metrics = new Uri(server.AdminUrl, "/metrics");

        for (var i = 0; i < 50; i++)
        {
            using var anonymous = await http.GetAsync(metrics);
            using var request = new HttpRequestMessage(HttpMethod.Get, metrics) { Headers = { Authorization = new("Bearer", $"wrong-{i}") } };
            using var wrong = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // A line logged after them (a failed admin login, WARN) shows that everything the scrapes logged is written.
        using (var browser = new AdminBrowser(server.AdminUrl))
        {
            (await browser.LoginAsync("marker", "Wrong-pass-9")).Dispose();
        }

        await server.WaitForLineAsync(new Regex(@"\[WARN \] \[HttpSv\] Admin login failed for ""marker"""));
        var written = server.Output.Skip(before).ToList();
        Assert.Single(written);
    }
}
