using Microsoft.Extensions.Logging;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Logging;

namespace SyncServer.Engine.Auth;

// Singleton, thread-safe: the authenticator list is fixed at construction; each authenticator is thread-safe itself.
/// <summary>
/// The configured authenticators behind one call: picks the first that accepts the credential type. A credential type
/// no authenticator accepts is refused with 43 CREDENTIALS_REJECTED; an authenticator that throws is 53 AUTH_UNREACHABLE.
/// </summary>
internal sealed class ClientAuthentication(IEnumerable<IClientAuthenticator> authenticators, ILoggerFactory loggerFactory)
{
    private readonly IClientAuthenticator[] _authenticators = [.. authenticators];
    private readonly ILogger _log = loggerFactory.CreateLogger(LogTags.Auth);

    /// <summary>False when no authentication method is configured: no client could ever log in.</summary>
    public bool IsConfigured => _authenticators.Length > 0;

    public async ValueTask<AuthResult> AuthenticateAsync(
        CredentialType type, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct)
    {
        var authenticator = Array.Find(_authenticators, a => a.Accepts(type));
        AuthResult result;
        if (authenticator is null)
        {
            result = AuthResult.Rejected(Enum.IsDefined(type)
                ? $"credential type {type} is not enabled on this server"
                : $"unknown credential type {(byte)type}");
        }
        else
        {
            try
            {
                result = await authenticator.AuthenticateAsync(type, credentials, context, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                AuthLog.AuthenticatorFailed(_log, e, context.RemoteAddress, authenticator.GetType().Name);
                result = new AuthResult(LoginResultCode.AuthUnreachable, e.Message);
            }
        }

        if (!result.IsOk)
        {
            AuthLog.Refused(_log, context.RemoteAddress, type, (int)result.Code, result.Reason ?? "no reason given");
        }

        return result;
    }
}
