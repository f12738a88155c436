using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SyncServer.Engine.Logging;
using SyncServer.Web.Admin;
using SyncServer.Web.Data;

namespace SyncServer.Web.Services;

// Singleton, thread-safe: every call uses a scope of its own (its own UserManager and DbContext).
/// <summary>Admin users over ASP.NET Core Identity; changes are logged (tag HttpSv) with the acting admin's name.</summary>
internal sealed class AdminUsers(IServiceScopeFactory scopes, ILoggerFactory loggers) : IAdminUsers
{
    private readonly ILogger _log = loggers.CreateLogger(LogTags.Http);

    public async Task<IReadOnlyList<AdminUserInfo>> ListAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        var now = DateTimeOffset.UtcNow;
        var list = await users.Users.AsNoTracking().ToListAsync();
        return [.. list
            .OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase)
            .Select(u => new AdminUserInfo(u.Id, u.UserName ?? "", u.LockoutEnd > now, u.LockoutEnd > now ? u.LockoutEnd : null, u.AccessFailedCount))];
    }

    public async Task<UserResult> CreateAsync(string currentUserId, string userName, string password)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        var result = await users.CreateAsync(new AdminUser { UserName = userName.Trim() }, password);
        return await Report(users, currentUserId, result, $"created admin user \"{userName.Trim()}\"");
    }

    public async Task<UserResult> DeleteAsync(string currentUserId, string userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        var refusal = UserRules.RefuseDelete(currentUserId, userId, await users.Users.CountAsync());
        if (refusal is not null)
        {
            return UserResult.Refused(refusal);
        }

        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return UserResult.Refused("No such user.");
        }

        return await Report(users, currentUserId, await users.DeleteAsync(user), $"deleted admin user \"{user.UserName}\"");
    }

    public async Task<UserResult> ResetPasswordAsync(string currentUserId, string userId, string newPassword)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return UserResult.Refused("No such user.");
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        return await Report(users, currentUserId, await users.ResetPasswordAsync(user, token, newPassword), $"reset the password of \"{user.UserName}\"");
    }

    public async Task<UserResult> SetLockedAsync(string currentUserId, string userId, bool locked)
    {
        if (locked && UserRules.RefuseLock(currentUserId, userId) is { } refusal)
        {
            return UserResult.Refused(refusal);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return UserResult.Refused("No such user.");
        }

        var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (result.Succeeded && !locked)
        {
            result = await users.ResetAccessFailedCountAsync(user);
        }

        if (result.Succeeded && locked)
        {
            // Ends the locked user's existing sessions at their next revalidation.
            result = await users.UpdateSecurityStampAsync(user);
        }

        return await Report(users, currentUserId, result, $"{(locked ? "locked" : "unlocked")} \"{user.UserName}\"");
    }

    public async Task<UserResult> ChangeOwnPasswordAsync(string currentUserId, string currentPassword, string newPassword)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        if (await users.FindByIdAsync(currentUserId) is not { } user)
        {
            return UserResult.Refused("No such user.");
        }

        return await Report(users, currentUserId, await users.ChangePasswordAsync(user, currentPassword, newPassword), "changed their own password");
    }

    private static UserManager<AdminUser> Users(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<UserManager<AdminUser>>();

    private async Task<UserResult> Report(UserManager<AdminUser> users, string currentUserId, IdentityResult result, string action)
    {
        if (!result.Succeeded)
        {
            return UserResult.Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        var admin = (await users.FindByIdAsync(currentUserId))?.UserName ?? currentUserId;
        AdminLog.UserAction(_log, admin, action);
        return UserResult.Done(char.ToUpperInvariant(action[0]) + action[1..] + ".");
    }
}
