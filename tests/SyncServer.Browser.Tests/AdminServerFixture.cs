using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SyncServer.Core.Model;

namespace SyncServer.Browser.Tests;

/// <summary>
/// One real sync-server (example model, fresh data directory, a metrics token) and one headless Chromium for all browser
/// tests. The first admin is created the way an operator would: through the setup URL from the server log.
/// </summary>
public sealed partial class AdminServerFixture : IAsyncLifetime, IDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "Admin-pass-1";
    public const string MetricsToken = "scrape-token-123";

    private readonly TempDirectory _dir = new();
    private IPlaywright _playwright = null!;

    internal ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public ObjectBoxModel Model { get; } = ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel));

    /// <summary>The setup URL the server logged at its first start.</summary>
    public string SetupUrl { get; private set; } = "";

    public string Url(string path) => new Uri(Server.AdminUrl, path).ToString();

    /// <summary>Set to 1 to have the browser tests write docs/screenshots (CONTRIBUTING.md); otherwise they write none.</summary>
    public const string ScreenshotsVariable = "SYNCSERVER_SCREENSHOTS";

    public static bool WritesScreenshots => Environment.GetEnvironmentVariable(ScreenshotsVariable) == "1";

    /// <summary>
    /// Writes docs/screenshots/<paramref name="name"/>.png (a phone-sized page gets <c>-phone</c> appended) when
    /// <see cref="ScreenshotsVariable"/> is 1; does nothing otherwise, so test runs leave the working tree clean.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        if (!WritesScreenshots)
        {
            return;
        }

        var phone = page.ViewportSize is { Width: <= PhoneWidth };
        var path = Path.Combine(TestPaths.RepositoryRoot, "docs", "screenshots", name + (phone ? "-phone" : "") + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
    }

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAndWaitAsync(
            _dir.Path,
            new Dictionary<string, string> { ["SYNCSERVER_METRICS_TOKEN"] = MetricsToken },
            "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");
        var line = await Server.WaitForLineAsync(SetupLine());
        SetupUrl = SetupLine().Match(line).Groups[1].Value;
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>After <see cref="DisposeAsync"/>: the server has released the directory.</summary>
    public void Dispose() => _dir.Dispose();

    /// <summary>The phone the suite also runs at (an iPhone 12-14 in CSS pixels).</summary>
    public const int PhoneWidth = 390;
    public const int PhoneHeight = 844;

    /// <summary>A new browser context (own cookies) with a laptop-sized window, or a phone's (390×844, touch) when <paramref name="phone"/>.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = phone ? new ViewportSize { Width = PhoneWidth, Height = PhoneHeight } : new ViewportSize { Width = 1366, Height = 850 },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    /// <summary>Logs in through the login page and waits until the app's circuit is interactive.</summary>
    public Task LoginAsync(IPage page, string user = AdminUser, string password = AdminPassword) =>
        LoginAsync(page, Server.AdminUrl, user, password);

    /// <summary>Logs in on the admin endpoint at <paramref name="adminUrl"/> (another server than the fixture's).</summary>
    public static async Task LoginAsync(IPage page, Uri adminUrl, string user, string password)
    {
        await page.GotoAsync(new Uri(adminUrl, "Account/Login").ToString());
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await WaitInteractiveAsync(page);
    }

    public static async Task WaitInteractiveAsync(IPage page) =>
        await page.Locator("[data-interactive=true]").WaitForAsync();

    [GeneratedRegex(@"\[INFO \] \[HttpSv\] No admin user yet\. Create the first one \(once\) at (http://\S+/setup\?token=[0-9a-f]{64})$")]
    private static partial Regex SetupLine();
}

[CollectionDefinition(Name)]
public sealed class AdminServerGroup : ICollectionFixture<AdminServerFixture>
{
    public const string Name = "admin server";
}
