using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SyncServer.Web.Admin;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> for metrics scrapers, compared in constant time with
/// <see cref="AdminUiOptions.MetricsToken"/>; without a configured token it authenticates nobody. Its "was challenged"
/// line for each anonymous request is logged at Debug, not Info (<see cref="DebugLevelLoggerFactory"/>).
/// </summary>
internal sealed class MetricsTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory loggers, UrlEncoder encoder, AdminUiOptions options)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, new DebugLevelLoggerFactory(loggers), encoder)
{
    public const string SchemeName = "MetricsToken";
    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(options.MetricsToken) || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var given = Encoding.UTF8.GetBytes(header[Prefix.Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(options.MetricsToken)))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong metrics token"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "metrics scraper")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
