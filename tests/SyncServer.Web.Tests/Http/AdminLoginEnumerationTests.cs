using System.Diagnostics;
using System.Net;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Http;

/// <summary>
/// docs/admin.md "Logging in": the login page does not tell which user names exist (same time, same answer, same
/// lockout), and failed admin logins are throttled per address like the sync logins.
/// </summary>
public sealed class AdminLoginEnumerationTests : IDisposable
{
    private const string Password = "Admin-pass-1";
    private const string Wrong = "Wrong-pass-9";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_unknown_user_name_takes_about_as_long_as_a_wrong_password()
    {
        await using var server = await StartAsync(loginFailuresPerAddress: 1000);
        await server.CreateUserAsync("alice", Password);
        using var browser = new AdminBrowser(server.AdminUrl);
        (await browser.LoginAsync("warm-up", Wrong)).Dispose();

        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 4; i++) // fewer than the 5 failures that lock an account
        {
            known.Add(await TimeAsync(browser, "alice"));
            unknown.Add(await TimeAsync(browser, $"nobody{i}"));
        }

        var (knownMedian, unknownMedian) = (Median(known), Median(unknown));
        Assert.True(unknownMedian >= knownMedian * 0.5,
            $"unknown names answered in {unknownMedian:F0} ms, known ones in {knownMedian:F0} ms (median of 4 each)");
    }

    [Fact]
    public async Task An_unknown_user_name_and_a_wrong_password_get_the_same_answer_and_the_same_lockout()
    {
        await using var server = await StartAsync(loginFailuresPerAddress: 1000);
        await server.CreateUserAsync("alice", Password);
        using var browser = new AdminBrowser(server.AdminUrl);

        var known = new List<string>();
        var unknown = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            known.Add(await AnswerAsync(browser, "alice"));
            unknown.Add(await AnswerAsync(browser, "nobody"));
        }

        string[] expected = [.. Enumerable.Repeat("200 Error: Invalid login attempt.", 4), "302 /Account/Lockout until", "302 /Account/Lockout until"];
        Assert.Equal(expected, known);
        Assert.Equal(expected, unknown);
    }

    [Fact]
    public async Task After_too_many_failed_logins_from_one_address_even_the_right_password_is_refused()
    {
        await using var server = await StartAsync(loginFailuresPerAddress: 10);
        await server.CreateUserAsync("alice", Password);
        using var browser = new AdminBrowser(server.AdminUrl);
        for (var i = 0; i < 10; i++)
        {
            // Ten different names, so that no single name is locked out: only the address is counted.
            using var failed = await browser.LoginAsync($"guess{i}", Wrong);
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var blocked = await browser.LoginAsync("alice", Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Too many failed logins from this address", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("SyncServer.Admin=", browser.SavedCookies, StringComparison.Ordinal);
    }

    private async Task<InProcessServer> StartAsync(int loginFailuresPerAddress)
    {
        var config = _dir.Combine("config.json");
        await File.WriteAllTextAsync(config, $$"""{ "sync": { "loginFailuresPerAddress": {{loginFailuresPerAddress}} } }""");
        return await InProcessServer.StartAsync(_dir.Combine("data"), "--unsecured-no-authentication", "--conf", config);
    }

    private static async Task<double> TimeAsync(AdminBrowser browser, string user)
    {
        var clock = Stopwatch.StartNew();
        using var response = await browser.LoginAsync(user, Wrong);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return elapsed;
    }

    /// <summary>The status and what the user sees: the error message, or where the redirect goes (and whether it says until when).</summary>
    private static async Task<string> AnswerAsync(AdminBrowser browser, string user)
    {
        using var response = await browser.LoginAsync(user, Wrong);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var target = new Uri(browser.AdminUrl, response.Headers.Location!);
            return $"302 {target.AbsolutePath}{(target.Query.Contains("until=", StringComparison.Ordinal) ? " until" : "")}";
        }

        var body = await response.Content.ReadAsStringAsync();
        var message = body.Contains("Error: Invalid login attempt.", StringComparison.Ordinal) ? "Error: Invalid login attempt." : "(no error shown)";
        return $"{(int)response.StatusCode} {message}";
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
