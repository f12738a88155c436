namespace SyncServer.Web.Services;

/// <summary>What an admin may not do to admin users; null means allowed. Pure functions, shared by page and service.</summary>
internal static class UserRules
{
    /// <summary>Refuses deleting yourself, and deleting the last active (not locked out) admin.</summary>
    public static string? RefuseDelete(string currentUserId, string targetUserId, IReadOnlyCollection<AdminUserInfo> users) =>
        currentUserId == targetUserId ? "You cannot delete yourself."
        : !AnotherActive(targetUserId, users) ? "The last active admin cannot be deleted."
        : null;

    /// <summary>Refuses locking yourself out, and locking the last active (not locked out) admin.</summary>
    public static string? RefuseLock(string currentUserId, string targetUserId, IReadOnlyCollection<AdminUserInfo> users) =>
        currentUserId == targetUserId ? "You cannot lock yourself out."
        : !AnotherActive(targetUserId, users) ? "The last active admin cannot be locked."
        : null;

    /// <summary>Whether an admin other than <paramref name="userId"/> can log in now.</summary>
    private static bool AnotherActive(string userId, IReadOnlyCollection<AdminUserInfo> users) =>
        users.Any(u => u.Id != userId && !u.IsLockedOut);
}
