using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

public sealed class StatusPageTests : BunitTestBase
{
    private readonly FakeAdminService _admin = new();

    public StatusPageTests() => Services.AddSingleton<IAdminService>(_admin);

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
}
