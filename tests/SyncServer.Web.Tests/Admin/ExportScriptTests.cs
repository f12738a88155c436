using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SyncServer.Web.Tests.Admin;

/// <summary>docs/export.md, "From a script": the login form posted without a browser, then the export with its cookie,
/// against the real server process.</summary>
public sealed partial class ExportScriptTests
{
    [Fact]
    public async Task A_script_logs_in_through_the_login_form_and_downloads_the_export_with_the_cookie()
    {
        using var dir = new TempDirectory();
        await using var server = await ServerProcess.StartAndWaitAsync(
            dir.Path,
            new Dictionary<string, string> { ["SYNCSERVER_ADMIN_USER"] = "ops", ["SYNCSERVER_ADMIN_PASSWORD"] = "Secret-pass1" },
            "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.AdminUrl };
        using (var anonymous = await http.GetAsync(new Uri("/api/export.json", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var form = await http.GetStringAsync(new Uri("/Account/Login", UriKind.Relative));
        var token = Token().Match(form).Groups[1].Value;
        using var login = await http.PostAsync(new Uri("/Account/Login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = "ops",
            ["Input.Password"] = "Secret-pass1",
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        using var export = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/export.json", UriKind.Relative)));
        Assert.Equal("syncserver-export", export.RootElement.GetProperty("format").GetString());
        Assert.Equal(3, export.RootElement.GetProperty("entities").GetArrayLength());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
