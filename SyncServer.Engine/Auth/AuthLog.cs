using Microsoft.Extensions.Logging;
using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Auth;

/// <summary>Authentication log messages (category <see cref="Logging.LogTags.Auth"/>); per client, so debug only.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Login from {RemoteAddress} with credential type {Type} refused ({Code}): {Reason}")]
    public static partial void Refused(ILogger logger, string remoteAddress, CredentialType type, int code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authenticator {Authenticator} failed for a login from {RemoteAddress}")]
    public static partial void AuthenticatorFailed(ILogger logger, Exception exception, string remoteAddress, string authenticator);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Too many failed logins from {Address}: its logins are refused for a while")]
    public static partial void AddressBlocked(ILogger logger, string address);
}
