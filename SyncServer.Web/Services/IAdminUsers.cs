namespace SyncServer.Web.Services;

/// <summary>Admin user management for the users page; the rules of <see cref="UserRules"/> are enforced here.</summary>
internal interface IAdminUsers
{
    Task<IReadOnlyList<AdminUserInfo>> ListAsync();

    Task<UserResult> CreateAsync(string currentUserId, string userName, string password);

    Task<UserResult> DeleteAsync(string currentUserId, string userId);

    Task<UserResult> ResetPasswordAsync(string currentUserId, string userId, string newPassword);

    Task<UserResult> SetLockedAsync(string currentUserId, string userId, bool locked);

    Task<UserResult> ChangeOwnPasswordAsync(string currentUserId, string currentPassword, string newPassword);
}
