using Microsoft.AspNetCore.Identity;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Sync.Sessions;
using SyncServer.Web.Data;

namespace SyncServer.Web.Admin;

// Singleton, thread-safe: the two throttles are thread-safe; each login uses the caller's (scoped) SignInManager.
/// <summary>
/// The login page's check of a user name and password (docs/admin.md "Logging in"), made so that the answer does not
/// tell whether a user exists: an unknown name costs a password hash like a known one (<see cref="DummyPassword"/>), gets
/// the same "invalid login attempt", and is locked out after <see cref="AdminUiServiceCollectionExtensions.MaxFailedLogins"/>
/// failures for <see cref="AdminUiServiceCollectionExtensions.LockoutTime"/> exactly like an account. Failed logins are
/// also counted per remote address with the sync logins' <see cref="LoginThrottle"/> settings (its own instance): a
/// blocked address is refused without its password being checked.
/// </summary>
internal sealed class AdminLogins(SyncOptions sync, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>How long failures of an unknown name are remembered (an account's count has no window: long).</summary>
    private static readonly TimeSpan UnknownNameWindow = TimeSpan.FromDays(1);

    private readonly LoginThrottle _addresses = new(sync.LoginFailuresPerAddress, sync.LoginFailureWindow, sync.LoginBlockTime, time);
    private readonly LoginThrottle _unknownNames = new(
        AdminUiServiceCollectionExtensions.MaxFailedLogins, UnknownNameWindow, AdminUiServiceCollectionExtensions.LockoutTime, time);

    private readonly ILogger _log = loggers.CreateLogger(LogTags.Http);

    /// <param name="remoteAddress">The client's IP address (after <c>X-Forwarded-For</c> from a trusted proxy).</param>
    public async Task<AdminLoginResult> LoginAsync(
        SignInManager<AdminUser> signIn, string userName, string password, bool persistent, string remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        var address = AuthContext.ThrottleKeyOf(remoteAddress);
        if (_addresses.IsBlocked(address, out var remaining))
        {
            AdminLog.LoginRefusedBlocked(_log, userName, remoteAddress); // debug: the block itself was logged once, at WARN
            return new AdminLoginResult(AdminLoginOutcome.AddressBlocked, BlockedFor: remaining);
        }

        var users = signIn.UserManager;
        var user = await users.FindByNameAsync(userName);
        AdminLoginResult result;
        if (user is null)
        {
            DummyPassword.Verify(users.PasswordHasher, password);
            var name = users.NormalizeName(userName) ?? userName;
            result = _unknownNames.IsBlocked(name, out var left)
                ? LockedOut(time.GetUtcNow() + left)
                : _unknownNames.Failed(name)
                    ? LockedOut(time.GetUtcNow() + AdminUiServiceCollectionExtensions.LockoutTime)
                    : new AdminLoginResult(AdminLoginOutcome.Failed);
        }
        else if (await users.IsLockedOutAsync(user))
        {
            DummyPassword.Verify(users.PasswordHasher, password); // a locked account answers after the same time
            result = LockedOut(await users.GetLockoutEndDateAsync(user));
        }
        else
        {
            // Failures count towards the account's lockout (AdminUiServiceCollectionExtensions.MaxFailedLogins).
            var signedIn = await signIn.PasswordSignInAsync(user, password, persistent, lockoutOnFailure: true);
            if (signedIn.Succeeded)
            {
                return new AdminLoginResult(AdminLoginOutcome.Succeeded);
            }

            result = signedIn.IsLockedOut ? LockedOut(await users.GetLockoutEndDateAsync(user)) : new AdminLoginResult(AdminLoginOutcome.Failed);
        }

        AdminLog.LoginFailed(_log, userName, remoteAddress, result.Outcome == AdminLoginOutcome.LockedOut ? " (locked out)" : "");
        if (_addresses.Failed(address))
        {
            AdminLog.AddressBlocked(_log, address, (int)Math.Ceiling(sync.LoginBlockTime.TotalSeconds));
        }

        return result;
    }

    private static AdminLoginResult LockedOut(DateTimeOffset? until) => new(AdminLoginOutcome.LockedOut, until);
}
