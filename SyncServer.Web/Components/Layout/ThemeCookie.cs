namespace SyncServer.Web.Components.Layout;

/// <summary>
/// The admin's light/dark choice, kept in a cookie (<see cref="Name"/>: <c>dark</c> or <c>light</c>, a year, the whole
/// site) that <c>wwwroot/js/theme.js</c> writes on every switch. <c>App.razor</c> reads it on each page request and
/// cascades it (<see cref="InitialDarkMode"/>), so the prerendered page already has the chosen palette: no flash of the
/// other theme, the same theme after a reload and in a new tab.
/// </summary>
public static class ThemeCookie
{
    public const string Name = "SyncServer.Theme";

    /// <summary>The cascading value's name: the theme the page was requested in.</summary>
    public const string InitialDarkMode = "InitialDarkMode";

    /// <summary>The cascading value's name inside the layout: the theme shown now (charts follow it).</summary>
    public const string DarkMode = "DarkMode";

    /// <summary>The module that saves the choice (relative to the base href).</summary>
    public const string ModulePath = "./js/theme.js";

    public static bool IsDark(HttpContext? context) =>
        context?.Request.Cookies.TryGetValue(Name, out var value) == true && string.Equals(value, "dark", StringComparison.Ordinal);
}
