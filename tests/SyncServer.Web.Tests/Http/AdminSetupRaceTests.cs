using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Web.Admin;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Http;

/// <summary>docs/admin.md "Logging in": the setup URL creates exactly one first admin, also under parallel posts.</summary>
public sealed class AdminSetupRaceTests : IDisposable
{
    private const string Password = "Admin-pass-1";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Parallel_posts_with_the_setup_token_create_exactly_one_admin_and_the_others_are_refused_with_409()
    {
        await using var server = await InProcessServer.StartAsync(_dir.Combine("data"), "--unsecured-no-authentication");
        var token = server.Services.GetRequiredService<AdminSetup>().Open(); // what the logged setup URL carries
        var page = $"/setup?token={token}";
        const int Posts = 8;
        var browsers = Enumerable.Range(0, Posts).Select(_ => new AdminBrowser(server.AdminUrl)).ToList();
        try
        {
            var responses = await Task.WhenAll(browsers.Select((browser, i) => browser.PostFormAsync(page, Form(token, $"admin{i}"))));
            var statuses = responses.Select(r => r.StatusCode).ToList();
            var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
            foreach (var response in responses)
            {
                response.Dispose();
            }

            Assert.Single(statuses, s => s == HttpStatusCode.Redirect);
            Assert.Equal(Posts - 1, statuses.Count(s => s == HttpStatusCode.Conflict));
            Assert.All(
                bodies.Where((_, i) => statuses[i] == HttpStatusCode.Conflict),
                body => Assert.Contains("The first admin has already been created", body, StringComparison.Ordinal));
            Assert.Single(await server.Users.ListAsync());
            Assert.False(server.Services.GetRequiredService<AdminSetup>().IsOpen);

            // A post that comes after the setup closed is refused the same way; a GET of the used URL is 404.
            using var late = new AdminBrowser(server.AdminUrl);
            using var latePost = await late.PostFormAsync(page, Form(token, "late"), tokenPage: "/Account/Login");
            Assert.Equal(HttpStatusCode.Conflict, latePost.StatusCode);
            Assert.Contains("The first admin has already been created", await latePost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var lateGet = await late.GetAsync(page);
            Assert.Equal(HttpStatusCode.NotFound, lateGet.StatusCode);
            Assert.Single(await server.Users.ListAsync());
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }

    private static Dictionary<string, string> Form(string token, string user) => new()
    {
        ["_handler"] = "setup",
        ["token"] = token,
        ["Input.UserName"] = user,
        ["Input.Password"] = Password,
        ["Input.ConfirmPassword"] = Password,
    };
}
