using Microsoft.Extensions.Logging;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Logging;

namespace SyncServer.Engine.Auth;

// Singleton, thread-safe: the authenticator list is fixed at construction; each authenticator and the throttle are
// thread-safe themselves.
/// <summary>
/// The configured authenticators behind one call. In order: an address blocked by the <see cref="LoginThrottle"/> is
/// refused with 40 REQ_REJECTED (credentials unchecked); when any method is <c>required</c>, only required methods are
/// considered; the first that accepts the credential type checks the credentials. A credential type no (eligible)
/// authenticator accepts is 43 CREDENTIALS_REJECTED; an authenticator that throws is 53 AUTH_UNREACHABLE. Every 43 counts
/// against the address.
/// </summary>
internal sealed class ClientAuthentication
{
    private readonly IClientAuthenticator[] _authenticators;
    private readonly IClientAuthenticator[] _eligible;
    private readonly LoginThrottle? _throttle;
    private readonly ILogger _log;

    public ClientAuthentication(IEnumerable<IClientAuthenticator> authenticators, ILoggerFactory loggerFactory, LoginThrottle? throttle = null)
    {
        _authenticators = [.. authenticators];
        var required = Array.FindAll(_authenticators, a => a.IsRequired);
        _eligible = required.Length > 0 ? required : _authenticators;
        _throttle = throttle;
        _log = loggerFactory.CreateLogger(LogTags.Auth);
    }

    /// <summary>False when no authentication method is configured: no client could ever log in.</summary>
    public bool IsConfigured => _authenticators.Length > 0;

    public async ValueTask<AuthResult> AuthenticateAsync(
        CredentialType type, ReadOnlyMemory<byte> credentials, AuthContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var throttleKey = context.ThrottleKey;
        if (_throttle is not null && _throttle.IsBlocked(throttleKey, out var remaining))
        {
            var blocked = new AuthResult(LoginResultCode.RequestRejected,
                $"too many failed logins from {throttleKey}; blocked for another {Math.Ceiling(remaining.TotalSeconds)} s");
            AuthLog.Refused(_log, context.RemoteAddress, type, (int)blocked.Code, blocked.Reason!);
            return blocked;
        }

        var authenticator = Array.Find(_eligible, a => a.Accepts(type));
        AuthResult result;
        if (authenticator is null)
        {
            result = AuthResult.Rejected(Describe(type));
        }
        else
        {
            try
            {
                result = await authenticator.AuthenticateAsync(type, credentials, context, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                AuthLog.AuthenticatorFailed(_log, e, context.RemoteAddress, authenticator.Name);
                result = new AuthResult(LoginResultCode.AuthUnreachable, e.Message);
            }
        }

        if (!result.IsOk)
        {
            AuthLog.Refused(_log, context.RemoteAddress, type, (int)result.Code, result.Reason ?? "no reason given");
            if (result.Code == LoginResultCode.CredentialsRejected && _throttle is not null && _throttle.Failed(throttleKey))
            {
                AuthLog.AddressBlocked(_log, throttleKey);
            }
        }

        return result;
    }

    private string Describe(CredentialType type)
    {
        if (!Enum.IsDefined(type))
        {
            return $"unknown credential type {(byte)type}";
        }

        if (_eligible.Length < _authenticators.Length && Array.Exists(_authenticators, a => a.Accepts(type)))
        {
            var required = string.Join(", ", _eligible.Select(a => a.Name));
            return $"credential type {type} is enabled, but a required method must be used ({required})";
        }

        return $"credential type {type} is not enabled on this server";
    }
}
