using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncServer.Web.Components.Charts;
using SyncServer.Web.Components.Layout;

namespace SyncServer.Web.Tests.Admin;

/// <summary>Charts follow the admin theme: created in it, and switched live when the layout's theme changes.</summary>
public sealed class ApexLineChartThemeTests : BunitTestBase
{
    private readonly BunitJSModuleInterop _module;

    public ApexLineChartThemeTests()
    {
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        _module = JSInterop.SetupModule(ApexLineChart.ModulePath);
        _module.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void A_chart_is_created_in_the_dark_theme_and_switches_live_to_light_and_back()
    {
        var cut = Render<CascadingValue<bool>>(p => InTheme(p, dark: true));

        cut.WaitForAssertion(() => Assert.Single(_module.Invocations["create"]));
        var config = _module.Invocations["create"][0].Arguments[1]!;
        Assert.Equal(true, config.GetType().GetProperty("Dark")!.GetValue(config));
        Assert.Empty(_module.Invocations["setTheme"]);

        cut.Render(p => InTheme(p, dark: false));
        cut.WaitForAssertion(() => Assert.Equal([false], _module.Invocations["setTheme"].Select(i => i.Arguments[1])));
        cut.Render(p => InTheme(p, dark: true));
        cut.WaitForAssertion(() => Assert.Equal([false, true], _module.Invocations["setTheme"].Select(i => i.Arguments[1])));
    }

    // The layout's cascade of the theme shown, around one chart (every parameter each time: CascadingValue drops absent ones).
    private static void InTheme(ComponentParameterCollectionBuilder<CascadingValue<bool>> parameters, bool dark) => parameters
        .Add(c => c.Name, ThemeCookie.DarkMode)
        .Add(c => c.Value, dark)
        .AddChildContent<ApexLineChart>(c => c.Add(x => x.Name, "test"));
}
