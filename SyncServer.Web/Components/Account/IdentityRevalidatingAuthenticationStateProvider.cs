using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SyncServer.Web.Admin;
using SyncServer.Web.Data;

namespace SyncServer.Web.Components.Account;

// One per circuit (scoped). The template's provider, plus: the circuit ends at once when AdminSessions ends its user's
// sessions (deleted, locked, password reset, logged out), and the security stamp is checked once when the circuit starts.
/// <summary>
/// Revalidates the circuit's user: at once when <see cref="AdminSessions"/> ends that user's sessions, when the circuit
/// gets its user, and every minute as a backstop. A failed check makes the circuit anonymous, so the router's
/// <c>RedirectToLogin</c> reloads the browser on the login page and the circuit closes.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly AuthenticationState Anonymous = new(new ClaimsPrincipal(new ClaimsIdentity()));
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IOptions<IdentityOptions> _options;
    private readonly AdminSessions _sessions;
    private readonly ILogger _log;
    private IDisposable? _subscription;

    public IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> options, AdminSessions sessions)
        : base(loggerFactory)
    {
        _scopeFactory = scopeFactory;
        _options = options;
        _sessions = sessions;
        _log = loggerFactory.CreateLogger(SyncServer.Engine.Logging.LogTags.Http);
        AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // Get the user manager from a new scope to ensure it fetches fresh data
        await using var scope = _scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();
        return await ValidateSecurityStampAsync(userManager, authenticationState.User);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            AuthenticationStateChanged -= OnAuthenticationStateChanged;
            Interlocked.Exchange(ref _subscription, null)?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void OnAuthenticationStateChanged(Task<AuthenticationState> state) => _ = WatchAsync(state);

    // Subscribes for the circuit's (new) user, then checks the stamp once: a revocation between the cookie check of the
    // circuit's connection and this subscription is caught here, every later one by the subscription.
    private async Task WatchAsync(Task<AuthenticationState> task)
    {
        var state = await task;
        var userId = state.User.FindFirstValue(_options.Value.ClaimsIdentity.UserIdClaimType);
        Interlocked.Exchange(ref _subscription, userId is null ? null : _sessions.Subscribe(userId, SignOut))?.Dispose();
        if (userId is null)
        {
            return;
        }

        try
        {
            if (!await ValidateAuthenticationStateAsync(state, CancellationToken.None))
            {
                SignOut();
            }
        }
#pragma warning disable CA1031 // fail closed: a check that cannot be made ends the circuit's login
        catch (Exception e)
#pragma warning restore CA1031
        {
            AdminLog.SessionCheckFailed(_log, userId, e);
            SignOut();
        }
    }

    private void SignOut() => SetAuthenticationState(Task.FromResult(Anonymous));

    private async Task<bool> ValidateSecurityStampAsync(UserManager<AdminUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }
        else if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }
        else
        {
            var principalStamp = principal.FindFirstValue(_options.Value.ClaimsIdentity.SecurityStampClaimType);
            var userStamp = await userManager.GetSecurityStampAsync(user);
            return principalStamp == userStamp;
        }
    }
}
