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
            var responses = await Task.WhenAll(browsers.Select((browser, i) => browser.PostFormAsync(page, new Dictionary<string, string>
            {
                ["_handler"] = "setup",
                ["token"] = token,
                ["Input.UserName"] = $"admin{i}",
                ["Input.Password"] = Password,
                ["Input.ConfirmPassword"] = Password,
            })));
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
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }
}
