using System.Globalization;
using System.Text.RegularExpressions;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Web.Tests.Sync;

namespace SyncServer.Web.Tests.Stats;

/// <summary><c>GET /metrics</c> on the admin port of a real server process (its own, so the totals are exact).</summary>
public sealed partial class MetricsEndpointTests(SyncServerFixture server) : IClassFixture<SyncServerFixture>, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Metrics_show_the_traffic_of_a_client_that_logs_in_applies_a_TX_and_disconnects()
    {
        var before = await ScrapeAsync();
        Assert.Equal(0, Sample(before, "syncserver_clients_connected"));
        Assert.True(Sample(before, "syncserver_database_size_bytes") > 0);

        await using (var client = await server.ConnectAndLoginAsync())
        {
            await client.SendAsync(new ApplyTxMessage(new ClientTx(1, [server.ProjectPut(client.ClientNumber, 1, "metrics")])));
            Assert.Equal(1ul, (await client.ExpectAsync<AckTxMessage>()).Position);

            var connected = await ScrapeUntilAsync(text => Sample(text, "syncserver_clients_connected") == 1
                && Sample(text, "syncserver_messages_out_total") >= 5);
            Assert.Equal(1, Sample(connected, "syncserver_txs_applied_total", "source=\"client\""));
            Assert.Equal(0, Sample(connected, "syncserver_txs_applied_total", "source=\"local\""));
            Assert.Equal(1, Sample(connected, "syncserver_clients_connects_total"));
            Assert.Equal(2, Sample(connected, "syncserver_messages_in_total")); // LOGIN, APPLY_TX
            Assert.True(Sample(connected, "syncserver_messages_in_bytes_total") > 0);
            Assert.Equal(1, Sample(connected, "syncserver_txlog_entries"));
            Assert.True(Sample(connected, "syncserver_txlog_size_bytes") > 32);
            Assert.Equal(1, Sample(connected, "syncserver_full_syncs_total"));
            Assert.Contains("# TYPE syncserver_txs_applied_total counter", connected, StringComparison.Ordinal);
            Assert.Contains("# TYPE syncserver_clients_connected gauge", connected, StringComparison.Ordinal);
        }

        var after = await ScrapeUntilAsync(text => Sample(text, "syncserver_clients_connected") == 0);
        Assert.Equal(1, Sample(after, "syncserver_clients_connects_total"));
        Assert.Equal(0, Sample(after, "syncserver_failures_total", "kind=\"disconnected\""));
    }

    [Fact]
    public async Task An_anonymous_scrape_is_logged_at_debug_not_info()
    {
        using var anonymous = await _http.GetAsync(new Uri(server.Server.AdminUrl, "/metrics"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // The fixture's server logs at debug, so the line is there, one level down.
        await server.Server.WaitForLineAsync(new Regex(@"\[DEBUG\] \[Metric\] AuthenticationScheme: MetricsToken was challenged\.$"));
        Assert.DoesNotContain(server.Server.Output, l => l.Contains("[INFO ] [Metric]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sync_port_does_not_serve_metrics()
    {
        using var response = await _http.GetAsync(new Uri(server.Server.SyncHttpUrl, "/metrics"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_need_the_scraper_token_or_an_admin_login()
    {
        using var anonymous = await _http.GetAsync(new Uri(server.Server.AdminUrl, "/metrics"));
        using var wrongToken = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Server.AdminUrl, "/metrics"));
        wrongToken.Headers.Authorization = new("Bearer", "not-the-token");
        using var wrong = await _http.SendAsync(wrongToken);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    private async Task<string> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Server.AdminUrl, "/metrics"));
        request.Headers.Authorization = new("Bearer", SyncServerFixture.MetricsToken);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (the exporter caches a scrape for 300 ms), at most 10 s.</summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var text = await ScrapeAsync();
            if (done(text))
            {
                return text;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The metrics never matched:\n{text}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The value of the sample <paramref name="name"/> (with the label <paramref name="label"/>, if given); -1 if absent.</summary>
    private static double Sample(string text, string name, string? label = null)
    {
        foreach (var match in SampleLine().Matches(text).Cast<Match>())
        {
            if (match.Groups["name"].Value == name && (label is null || match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
