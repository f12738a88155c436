namespace SyncServer.Web.Services;

/// <summary>What an admin may not do to admin users; null means allowed. Pure functions, shared by page and service.</summary>
internal static class UserRules
{
    public static string? RefuseDelete(string currentUserId, string targetUserId, int userCount) =>
        currentUserId == targetUserId ? "You cannot delete yourself."
        : userCount <= 1 ? "The last admin cannot be deleted."
        : null;

    public static string? RefuseLock(string currentUserId, string targetUserId) =>
        currentUserId == targetUserId ? "You cannot lock yourself out." : null;
}
