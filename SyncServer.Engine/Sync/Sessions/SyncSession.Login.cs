using System.Net.WebSockets;
using System.Security.Cryptography;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Sync.Sessions;

internal sealed partial class SyncSession
{
    // This connection's CHALLENGE nonce (receive loop only): made on HELLO, used by the one LOGIN that follows.
    private byte[]? _challenge;
    private bool _loginSeen;

    /// <summary>HELLO: a fresh random nonce for this connection (docs/protocol.md).</summary>
    private async Task SendChallengeAsync(CancellationToken ct)
    {
        _challenge = RandomNumberGenerator.GetBytes(MessageCodec.ChallengeLength);
        await SendAsync(new ChallengeMessage(_challenge), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// LOGIN, checked in the order docs/protocol.md gives: protocol version (55), credentials (43/53), schema hash (57),
    /// client ID already connected (61). A refusal is the last message before the close.
    /// </summary>
    private async Task LoginAsync(LoginMessage login, CancellationToken ct)
    {
        _loginSeen = true;
        if (login.ProtocolVersion is < MessageCodec.MinProtocolVersion or > MessageCodec.ProtocolVersion)
        {
            Refuse(LoginResultCode.BadVersion, $"protocol version {login.ProtocolVersion} is not supported; this server speaks versions {MessageCodec.MinProtocolVersion} to {MessageCodec.ProtocolVersion}");
            return;
        }

        var auth = await _services.Authentication.AuthenticateAsync(
            login.CredentialType, login.Credentials, new AuthContext(RemoteAddress, login.ClientId) { Challenge = _challenge }, ct)
            .ConfigureAwait(false);
        _challenge = null; // one LOGIN per nonce
        if (!auth.IsOk)
        {
            // The reason is in the debug log (ClientAuthentication); the client only learns the code.
            Refuse(auth.Code, auth.Code switch
            {
                LoginResultCode.AuthUnreachable => "authentication is unavailable",
                LoginResultCode.RequestRejected => "too many failed logins from this address; try again later",
                _ => "credentials rejected",
            });
            return;
        }

        if (ResolveFilters(login, auth) is not { } filters)
        {
            return; // refused: a filter needs a variable this login does not have
        }

        var version = _services.Schemas.FindAccepting(login.SchemaHash);
        if (version is null)
        {
            Refuse(LoginResultCode.UnsupportedDataModel, "the app's data model (schema hash) matches no schema version that accepts clients");
            return;
        }

        if (!_services.Registry.TryClaim(login.ClientId, this))
        {
            Refuse(LoginResultCode.ClientIdTaken, "this client ID is connected in another session");
            return;
        }

        // Released by Close (or at the end of RunAsync, if Close ran before this line).
        _claimedClientId = login.ClientId;
        if (IsClosing)
        {
            _services.Registry.Release(login.ClientId, this);
            return;
        }

        ClientRecord client;
        try
        {
            client = _services.Clients.Login(login.ClientId);
        }
        catch (Storage.StorageException e) when (e is Storage.DatabaseFullException or Storage.DatabaseDamagedException)
        {
            // Only a new client gets here (a known one logs in without a write): it cannot be given a number now.
            // Refuse closes the session, which releases the claimed client ID.
            Refuse(LoginResultCode.Unknown, e is Storage.DatabaseFullException
                ? "the server cannot register a new client now: its database is full; try again later"
                : "the server cannot register a new client now: its database is damaged");
            return;
        }

        _schemaVersionId = version.Id;
        _clientModel = _services.Schemas.Model(version.Id);
        _cursor.Advance(CursorOwner.UpdatesLoop, login.LastPosition); // before the updates loop starts (its first command)
        _client = client;
        _filters = filters;
        PrepareFilterChange(client, login.LastPosition);
        _stats.LoggedIn(login.ClientId, client.Number, version.Id, login.LastPosition, _time.GetUtcNow());
        var head = _services.Feed.Head;
        SessionLog.LoggedIn(_log, RemoteAddress, client.Number, version.Id, login.Mode, login.LastPosition, client.LastTxId, head);
        await SendAsync(new LoginResultMessage(
            LoginResultCode.Ok, _time.GetUtcNow().ToUnixTimeMilliseconds(), client.Number, (uint)version.Id, client.LastTxId, head, ""), ct)
            .ConfigureAwait(false);

        switch (login.Mode)
        {
            case RequestUpdatesMode.Auto:
                await QueueUpdatesCommandAsync(UpdatesCommand.Subscribe, ct).ConfigureAwait(false);
                break;
            case RequestUpdatesMode.AutoNoPushes:
                await QueueUpdatesCommandAsync(UpdatesCommand.CatchUpOnce, ct).ConfigureAwait(false);
                break;
        }
    }

    private void Refuse(LoginResultCode code, string text)
    {
        SessionLog.LoginRefused(_log, RemoteAddress, (int)code, code, text);
        _stats.Failed(StatFailure.Login, $"login refused ({(int)code} {code}): {text}");
        var result = new LoginResultMessage(code, _time.GetUtcNow().ToUnixTimeMilliseconds(), 0, 0, 0, 0, text);
        Close(WebSocketCloseStatus.PolicyViolation, $"login refused ({(int)code})", MessageCodec.Encode(result));
    }
}
