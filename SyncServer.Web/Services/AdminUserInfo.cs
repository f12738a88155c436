namespace SyncServer.Web.Services;

/// <summary>One admin user as the users page lists it.</summary>
internal sealed record AdminUserInfo(string Id, string Name, bool IsLockedOut, DateTimeOffset? LockoutEnd, int FailedLogins);
