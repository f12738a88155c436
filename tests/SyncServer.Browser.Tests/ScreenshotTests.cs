namespace SyncServer.Browser.Tests;

/// <summary>docs/screenshots is written only when asked (SYNCSERVER_SCREENSHOTS=1), so a test run leaves the tree clean.</summary>
[Collection(AdminServerGroup.Name)]
public sealed class ScreenshotTests(AdminServerFixture fixture)
{
    [Fact]
    public async Task Without_SYNCSERVER_SCREENSHOTS_a_screenshot_writes_no_file()
    {
        if (AdminServerFixture.WritesScreenshots)
        {
            return; // screenshots were asked for in this run: writing them is right (xunit 2 has no dynamic skip)
        }

        var directory = Path.Combine(TestPaths.RepositoryRoot, "docs", "screenshots");
        var before = Directory.GetFiles(directory).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var page = await fixture.NewPageAsync();
        await page.SetContentAsync("<h1>not for the docs</h1>");

        await AdminServerFixture.ScreenshotAsync(page, "login");
        await AdminServerFixture.ScreenshotAsync(page, "probe-not-written", fullPage: true);

        Assert.False(File.Exists(Path.Combine(directory, "probe-not-written.png")));
        Assert.Equal(before, Directory.GetFiles(directory).ToDictionary(f => f, File.GetLastWriteTimeUtc));
    }
}
