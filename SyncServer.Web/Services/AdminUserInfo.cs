namespace SyncServer.Web.Services;

/// <summary>One admin user as the users page lists it.</summary>
internal sealed record AdminUserInfo(string Id, string Name, bool IsLockedOut, DateTimeOffset? LockoutEnd, int FailedLogins);

/// <summary>The outcome of a user operation: done, or refused/failed with a message for the page.</summary>
internal sealed record UserResult(bool Succeeded, string Message)
{
    public static UserResult Done(string message) => new(true, message);

    public static UserResult Refused(string message) => new(false, message);
}
