using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SyncServer.Engine.Logging;
using SyncServer.Web.Admin;
using SyncServer.Web.Data;

namespace SyncServer.Web.Services;

// Singleton, thread-safe: every call uses a scope of its own (its own UserManager and DbContext), and the changes are
// serialised by _changes, so the rules checked against the stored users (the last active admin) still hold when the
// change is written. The data directory lock makes this process the only writer of admin-users.db.
/// <summary>
/// Admin users over ASP.NET Core Identity; changes are logged (tag HttpSv) with the acting admin's name. Only an acting
/// admin who still exists and is not locked out may change anything; deleting, locking and password changes end the
/// user's sessions (<see cref="AdminSessions"/>, and a new security stamp for the cookies).
/// </summary>
internal sealed class AdminUsers(IServiceScopeFactory scopes, AdminSessions sessions, ILoggerFactory loggers) : IAdminUsers, IDisposable
{
    private const string ActorGone = "Your login has ended: your account was deleted or is locked out. Log in again.";
    private readonly ILogger _log = loggers.CreateLogger(LogTags.Http);
    private readonly SemaphoreSlim _changes = new(1, 1);

    public async Task<IReadOnlyList<AdminUserInfo>> ListAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        return await ListAsync(Users(scope));
    }

    public Task<UserResult> CreateAsync(string currentUserId, string userName, string password) =>
        ChangeAsync(currentUserId, async (users, actor) =>
        {
            var result = await users.CreateAsync(new AdminUser { UserName = userName.Trim() }, password);
            return Report(actor, result, $"created admin user \"{userName.Trim()}\"");
        });

    public Task<UserResult> DeleteAsync(string currentUserId, string userId) =>
        ChangeAsync(currentUserId, async (users, actor) =>
        {
            if (UserRules.RefuseDelete(currentUserId, userId, await ListAsync(users)) is { } refusal)
            {
                return UserResult.Refused(refusal);
            }

            if (await users.FindByIdAsync(userId) is not { } user)
            {
                return UserResult.Refused("No such user.");
            }

            return Ended(user, Report(actor, await users.DeleteAsync(user), $"deleted admin user \"{user.UserName}\""));
        });

    public Task<UserResult> ResetPasswordAsync(string currentUserId, string userId, string newPassword) =>
        ChangeAsync(currentUserId, async (users, actor) =>
        {
            if (await users.FindByIdAsync(userId) is not { } user)
            {
                return UserResult.Refused("No such user.");
            }

            // The reset gives the user a new security stamp (Identity), so their cookies fail their next check.
            var token = await users.GeneratePasswordResetTokenAsync(user);
            return Ended(user, Report(actor, await users.ResetPasswordAsync(user, token, newPassword), $"reset the password of \"{user.UserName}\""));
        });

    public Task<UserResult> SetLockedAsync(string currentUserId, string userId, bool locked) =>
        ChangeAsync(currentUserId, async (users, actor) =>
        {
            if (locked && UserRules.RefuseLock(currentUserId, userId, await ListAsync(users)) is { } refusal)
            {
                return UserResult.Refused(refusal);
            }

            if (await users.FindByIdAsync(userId) is not { } user)
            {
                return UserResult.Refused("No such user.");
            }

            var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
            if (result.Succeeded && !locked)
            {
                return Report(actor, await users.ResetAccessFailedCountAsync(user), $"unlocked \"{user.UserName}\"");
            }

            if (result.Succeeded)
            {
                result = await users.UpdateSecurityStampAsync(user); // ends the locked user's cookies
            }

            return Ended(user, Report(actor, result, $"locked \"{user.UserName}\""));
        });

    public Task<UserResult> ChangeOwnPasswordAsync(string currentUserId, string currentPassword, string newPassword) =>
        ChangeAsync(currentUserId, async (users, actor) =>
            // A new security stamp (Identity) for every session of this user, this one too: log in with the new password.
            Ended(actor, Report(actor, await users.ChangePasswordAsync(actor, currentPassword, newPassword), "changed their own password")));

    public void Dispose() => _changes.Dispose();

    private static UserManager<AdminUser> Users(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();

    private static async Task<IReadOnlyList<AdminUserInfo>> ListAsync(UserManager<AdminUser> users)
    {
        var now = DateTimeOffset.UtcNow;
        var list = await users.Users.AsNoTracking().ToListAsync();
        return [.. list
            .OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase)
            .Select(u => new AdminUserInfo(u.Id, u.UserName ?? "", u.LockoutEnd > now, u.LockoutEnd > now ? u.LockoutEnd : null, u.AccessFailedCount))];
    }

    /// <summary>Runs one change, alone, for an acting admin who still exists and is not locked out.</summary>
    private async Task<UserResult> ChangeAsync(string currentUserId, Func<UserManager<AdminUser>, AdminUser, Task<UserResult>> change)
    {
        await _changes.WaitAsync();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = Users(scope);
            if (await users.FindByIdAsync(currentUserId) is not { } actor || await users.IsLockedOutAsync(actor))
            {
                return UserResult.Refused(ActorGone);
            }

            return await change(users, actor);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>After a successful change that ends <paramref name="user"/>'s sessions: closes their live circuits.</summary>
    private UserResult Ended(AdminUser user, UserResult result)
    {
        if (result.Succeeded)
        {
            sessions.End(user.Id);
        }

        return result;
    }

    private UserResult Report(AdminUser actor, IdentityResult result, string action)
    {
        if (!result.Succeeded)
        {
            return UserResult.Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        AdminLog.UserAction(_log, actor.UserName ?? actor.Id, action);
        return UserResult.Done(char.ToUpperInvariant(action[0]) + action[1..] + ".");
    }
}
