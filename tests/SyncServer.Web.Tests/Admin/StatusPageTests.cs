using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Engine.Stats;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

public sealed class StatusPageTests : BunitTestBase
{
    private readonly FakeAdminService _admin = new();

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    public StatusPageTests()
    {
        Services.AddSingleton<IAdminService>(_admin);
        Services.AddSingleton<TimeProvider>(_time);
    }

    [Fact]
    public void The_status_page_shows_the_server_facts_and_the_debug_switch_changes_the_log_level()
    {
        var cut = Render<Status>();
        var table = cut.Find("[data-testid=status-table]").TextContent;
        Assert.Contains("1 h 1 min 0 s", table, StringComparison.Ordinal);
        Assert.Contains("/data", table, StringComparison.Ordinal);
        Assert.Contains("ws://0.0.0.0:9999", table, StringComparison.Ordinal);
        Assert.Equal("info", cut.Find("[data-testid=log-level]").TextContent);

        cut.Find("input[data-testid=debug-switch]").Change(true); // MudSwitch puts the attribute on its input

        Assert.True(_admin.DebugLogging);
        Assert.Equal("debug", cut.Find("[data-testid=log-level]").TextContent);
    }

    [Fact]
    public async Task The_status_page_reads_uptime_database_size_and_clients_again_every_few_seconds_until_it_is_left()
    {
        var cut = Render<Status>();
        Assert.Equal("1 h 1 min 0 s", cut.Find("[data-testid=status-uptime]").TextContent);
        Assert.Equal("0", cut.Find("[data-testid=status-clients]").TextContent);

        _admin.Status = _admin.Status with { Uptime = TimeSpan.FromMinutes(62), DatabaseBytes = 3 << 20 };
        _admin.Clients.Add(new ClientStats("0000000000000000000A", 10, "127.0.0.1:5000", DateTimeOffset.UnixEpoch, 1, 0, 0, 0, 0, 0, 0, 0, null));
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("1 h 1 min 0 s", cut.Find("[data-testid=status-uptime]").TextContent); // not yet
        _time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("1 h 2 min 0 s", cut.Find("[data-testid=status-uptime]").TextContent);
            Assert.StartsWith("3", cut.Find("[data-testid=status-db-size]").TextContent, StringComparison.Ordinal);
            Assert.Equal("1", cut.Find("[data-testid=status-clients]").TextContent);
        });

        var reads = _admin.StatusReads;
        await DisposeComponentsAsync();
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(reads, _admin.StatusReads);
    }
}
