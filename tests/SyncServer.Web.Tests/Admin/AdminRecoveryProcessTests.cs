using System.Net;
using System.Text.RegularExpressions;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Admin;

/// <summary>
/// docs/admin.md "Lockout and recovery" against the real server process: the lockout page says until when, and
/// SYNCSERVER_ADMIN_USER/SYNCSERVER_ADMIN_PASSWORD at start create that admin, or give it that password and unlock it.
/// </summary>
public sealed partial class AdminRecoveryProcessTests : IDisposable
{
    private const string First = "First-pass-1";
    private const string Second = "Second-pass-2";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_environment_admin_is_created_then_reset_and_unlocked_at_a_later_start_and_the_lockout_page_says_until_when()
    {
        await using (var server = await StartAsync(First))
        {
            await server.WaitForLineAsync(LogLine(@"Admin user ""ops"" created from SYNCSERVER_ADMIN_USER/SYNCSERVER_ADMIN_PASSWORD"));
            using var browser = new AdminBrowser(server.AdminUrl);
            HttpResponseMessage? last = null;
            for (var attempt = 0; attempt < 5; attempt++)
            {
                last?.Dispose();
                last = await browser.LoginAsync("ops", "Wrong-pass-9");
            }

            Assert.Equal(HttpStatusCode.Redirect, last!.StatusCode);
            var lockout = new Uri(server.AdminUrl, last.Headers.Location!);
            last.Dispose();
            Assert.Equal("/Account/Lockout", lockout.AbsolutePath);
            using var page = await browser.GetAsync(lockout.PathAndQuery);
            var text = await page.Content.ReadAsStringAsync();
            Assert.Matches(LockedUntil(), text);
            Assert.Contains("SYNCSERVER_ADMIN_USER", text, StringComparison.Ordinal);
            using var stillLocked = await browser.LoginAsync("ops", First); // the right password does not help now
            Assert.Equal("/Account/Lockout", new Uri(server.AdminUrl, stillLocked.Headers.Location!).AbsolutePath);
            Assert.Equal(0, await server.StopAsync());
        }

        await using (var server = await StartAsync(Second))
        {
            await server.WaitForLineAsync(LogLine(@"Admin user ""ops"" from SYNCSERVER_ADMIN_USER/SYNCSERVER_ADMIN_PASSWORD: password reset, unlocked"));
            using var browser = new AdminBrowser(server.AdminUrl);
            using var old = await browser.LoginAsync("ops", First);
            Assert.Equal(HttpStatusCode.OK, old.StatusCode); // the login page again, with an error
            await browser.LoginOkAsync("ops", Second);
            Assert.DoesNotContain(Second, server.AllOutput, StringComparison.Ordinal);
            Assert.Equal(0, await server.StopAsync());
        }

        await using (var server = await StartAsync(Second))
        {
            await server.WaitForLineAsync(LogLine(
                @"Admin user ""ops"" from SYNCSERVER_ADMIN_USER/SYNCSERVER_ADMIN_PASSWORD: exists with this password, not locked out: unchanged"));
            Assert.Equal(0, await server.StopAsync());
        }
    }

    private Task<ServerProcess> StartAsync(string password) => ServerProcess.StartAndWaitAsync(
        _dir.Path,
        new Dictionary<string, string> { ["SYNCSERVER_ADMIN_USER"] = "ops", ["SYNCSERVER_ADMIN_PASSWORD"] = password },
        "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");

    private static Regex LogLine(string message) => new(@"\[INFO \] \[HttpSv\] " + Regex.Escape(message).Replace(@"\ ", " ", StringComparison.Ordinal) + "$");

    [GeneratedRegex(@"This account is locked out until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")]
    private static partial Regex LockedUntil();
}
