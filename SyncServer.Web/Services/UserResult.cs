namespace SyncServer.Web.Services;

/// <summary>The outcome of a user operation: done, or refused/failed with a message for the page.</summary>
internal sealed record UserResult(bool Succeeded, string Message)
{
    public static UserResult Done(string message) => new(true, message);

    public static UserResult Refused(string message) => new(false, message);
}
