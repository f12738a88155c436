using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Web.Components.Layout;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The header's server state: green "Running" only while some schema version accepts clients.</summary>
public sealed class MainLayoutTests : BunitTestBase
{
    private readonly FakeAdminService _admin = new();

    public MainLayoutTests()
    {
        Services.AddSingleton<IAdminService>(_admin);
        AddAuthorization().SetAuthorized("alice");
    }

    [Fact]
    public void The_header_warns_while_no_version_accepts_clients_and_is_green_again_when_one_does()
    {
        var cut = Render<MainLayout>();
        var chip = cut.Find("[data-testid=server-state]");
        Assert.Equal("Running · schema version 1", chip.TextContent.Trim());
        Assert.Contains("mud-chip-color-success", chip.ClassName, StringComparison.Ordinal);

        _admin.SetAcceptClients(1, false);

        cut.WaitForAssertion(() =>
        {
            var warning = cut.Find("[data-testid=server-state]");
            Assert.Equal("No version accepts clients · schema version 1", warning.TextContent.Trim());
            Assert.Contains("mud-chip-color-warning", warning.ClassName, StringComparison.Ordinal);
        });

        _admin.SetAcceptClients(1, true);

        cut.WaitForAssertion(() => Assert.Equal("Running · schema version 1", cut.Find("[data-testid=server-state]").TextContent.Trim()));
    }

    [Fact]
    public async Task The_header_says_Stopping_once_the_server_begins_to_shut_down()
    {
        var cut = Render<MainLayout>();

        await _admin.Stopping.CancelAsync();

        cut.WaitForAssertion(() =>
        {
            var chip = cut.Find("[data-testid=server-state]");
            Assert.Equal("Stopping", chip.TextContent.Trim());
            Assert.Contains("mud-chip-color-error", chip.ClassName, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_layout_starts_in_the_theme_of_the_cookie_and_a_switch_saves_the_new_choice()
    {
        var module = JSInterop.SetupModule(ThemeCookie.ModulePath);
        module.SetupVoid("save", _ => true).SetVoidResult();
        var cut = Render<MainLayout>(p => p.AddCascadingValue(ThemeCookie.InitialDarkMode, true));
        Assert.Equal("dark", cut.Find(".mud-layout").GetAttribute("data-theme"));

        cut.Find("button[data-testid=theme-toggle]").Click();

        cut.WaitForAssertion(() => Assert.Equal("light", cut.Find(".mud-layout").GetAttribute("data-theme")));
        Assert.Equal([false], module.Invocations["save"].Select(i => i.Arguments[0]));
        cut.Find("button[data-testid=theme-toggle]").Click();
        cut.WaitForAssertion(() => Assert.Equal([false, true], module.Invocations["save"].Select(i => i.Arguments[0])));
    }

    [Fact]
    public void Without_the_cookie_the_layout_is_light()
    {
        var cut = Render<MainLayout>();

        Assert.Equal("light", cut.Find(".mud-layout").GetAttribute("data-theme"));
    }
}
