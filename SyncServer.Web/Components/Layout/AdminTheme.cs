using MudBlazor;

namespace SyncServer.Web.Components.Layout;

/// <summary>The admin UI's one theme: palettes for light and dark mode, system fonts (no web fonts: the UI works offline).</summary>
public sealed class AdminTheme : MudTheme
{
    private static readonly string[] SystemFonts = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public AdminTheme()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            Secondary = "#00897b",
            AppbarBackground = "#0d47a1",
            Background = "#f5f7fa",
        };
        PaletteDark = new PaletteDark
        {
            Primary = "#64b5f6",
            Secondary = "#4db6ac",
            AppbarBackground = "#1a2433",
        };
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts },
        };
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" };
    }
}
