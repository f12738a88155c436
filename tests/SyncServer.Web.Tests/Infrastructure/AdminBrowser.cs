using System.Net;
using System.Text.RegularExpressions;

namespace SyncServer.Web.Tests.Infrastructure;

/// <summary>
/// An HTTP client with its own cookie jar on the admin endpoint, used as a browser without JavaScript would: it logs in
/// through the login form (antiforgery token included), and its saved cookies can be replayed by another client.
/// </summary>
internal sealed partial class AdminBrowser : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _http;

    /// <param name="forwardedFor">Sent as <c>X-Forwarded-For</c> with every request (a client behind a proxy).</param>
    public AdminBrowser(Uri adminUrl, string? forwardedFor = null)
    {
        AdminUrl = adminUrl;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = adminUrl };
        if (forwardedFor is not null)
        {
            _http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
    }

    public Uri AdminUrl { get; }

    /// <summary>The cookies as a <c>Cookie</c> header: what an attacker who copied them would send.</summary>
    public string SavedCookies => _cookies.GetCookieHeader(AdminUrl);

    /// <summary>Posts the login form; returns the response (302 to the return URL when the login succeeded).</summary>
    /// <param name="returnUrl">The login page's <c>ReturnUrl</c> query parameter, as the login redirect sets it.</param>
    public Task<HttpResponseMessage> LoginAsync(string user, string password, string? returnUrl = null)
    {
        var page = returnUrl is null ? "/Account/Login" : "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        return PostFormAsync(page, new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        });
    }

    /// <summary>GETs the form page <paramref name="page"/> for its antiforgery token, then posts <paramref name="fields"/> to it.</summary>
    /// <param name="tokenPage">Where to get the antiforgery token instead (for a page that no longer shows its form).</param>
    public async Task<HttpResponseMessage> PostFormAsync(string page, IReadOnlyDictionary<string, string> fields, string? tokenPage = null)
    {
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(tokenPage ?? page) };
        return await _http.PostAsync(new Uri(page, UriKind.Relative), new FormUrlEncodedContent(form));
    }

    /// <summary>Logs in and asserts it worked.</summary>
    public async Task LoginOkAsync(string user, string password)
    {
        using var response = await LoginAsync(user, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("SyncServer.Admin=", SavedCookies, StringComparison.Ordinal);
    }

    /// <summary>Posts the navigation menu's logout form (its return URL is the current page, base-relative).</summary>
    public async Task<HttpResponseMessage> LogoutAsync(string returnUrl = "data")
    {
        var token = await AntiforgeryTokenAsync("/Account/Login"); // a token for the logged-in user
        return await _http.PostAsync(new Uri("/Account/Logout", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["ReturnUrl"] = returnUrl,
        }));
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>GET <paramref name="path"/> with exactly <paramref name="cookies"/> (no jar, no redirects).</summary>
    public static async Task<HttpResponseMessage> ReplayAsync(Uri adminUrl, string cookies, string path)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = adminUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookies);
        return await http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> AntiforgeryTokenAsync(string path)
    {
        var html = await _http.GetStringAsync(new Uri(path, UriKind.Relative));
        var match = TokenInput().Match(html);
        Assert.True(match.Success, "no antiforgery token in " + path);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
