using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Tests.Auth;

namespace SyncServer.Web.Tests.Auth;

/// <summary>Every authentication method against the real server process configured by its config file (docs/auth.md).</summary>
public sealed class AuthProcessTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private static readonly byte[] NoCredentials = [];

    private (CredentialType Type, byte[] Credentials) Credentials(string kind)
    {
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        var now = DateTime.UtcNow;
        return kind switch
        {
            "JWT ID token" => (CredentialType.JwtId, Utf8(server.Jwt.Create())),
            "JWT access token" => (CredentialType.JwtAccess, Utf8(server.Jwt.Create())),
            "Google ID token" => (CredentialType.GoogleAuth, Utf8(server.Google.Create(AuthServerFixture.GoogleClientId, "https://accounts.google.com"))),
            "admin user" => (CredentialType.ObxAdminUser, AdminUserCredentials.Encode(AuthServerFixture.AdminUser, AuthServerFixture.AdminPassword)),
            "tampered JWT" => (CredentialType.JwtId, Utf8(server.Jwt.CreateTampered())),
            "JWT alg none" => (CredentialType.JwtId, Utf8(server.Jwt.CreateUnsigned())),
            "JWT HS256 with the public key" => (CredentialType.JwtId, Utf8(server.Jwt.CreateHs256WithPublicKey())),
            "expired JWT" => (CredentialType.JwtId, Utf8(server.Jwt.Create(notBefore: now.AddHours(-2), expires: now.AddHours(-1)))),
            "JWT not yet valid" => (CredentialType.JwtId, Utf8(server.Jwt.Create(notBefore: now.AddHours(1), expires: now.AddHours(2)))),
            "JWT for another audience" => (CredentialType.JwtId, Utf8(server.Jwt.Create(audience: "other-app"))),
            "JWT from another issuer" => (CredentialType.JwtId, Utf8(server.Jwt.Create(issuer: "https://evil.example"))),
            "Google token for another app" => (CredentialType.GoogleAuth, Utf8(server.Google.Create("999-other.apps.googleusercontent.com", "https://accounts.google.com"))),
            "JWT as a Google token" => (CredentialType.GoogleAuth, Utf8(server.Jwt.Create())),
            "wrong admin password" => (CredentialType.ObxAdminUser, AdminUserCredentials.Encode(AuthServerFixture.AdminUser, "Wr0ng-passw0rd!")),
            "unknown admin user" => (CredentialType.ObxAdminUser, AdminUserCredentials.Encode("nobody", AuthServerFixture.AdminPassword)),
            "no credentials" => (CredentialType.None, NoCredentials),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    [Theory]
    [InlineData("JWT ID token")]
    [InlineData("JWT access token")]
    [InlineData("Google ID token")]
    [InlineData("admin user")]
    public async Task Each_configured_method_logs_in(string kind)
    {
        await using var client = await server.ConnectAsync();
        var (type, credentials) = Credentials(kind);

        var result = await client.LoginAsync(server.SchemaHash, RequestUpdatesMode.Manual, credentialType: type, credentials: credentials);

        Assert.True(result.Code == LoginResultCode.Ok, $"{kind}: {RawSyncClient.Describe(result)}\n{server.Server.AllOutput}");
        Assert.True(result.ClientNumber > 0);
    }

    [Fact]
    public async Task A_shared_secret_login_syncs_and_its_TX_reaches_another_client()
    {
        await using var writer = await server.ConnectAsync();
        var login = await writer.LoginWithSecretAsync(server.SchemaHash, AuthServerFixture.Secret, RequestUpdatesMode.Manual);
        Assert.Equal(LoginResultCode.Ok, login.Code);

        await writer.SendAsync(new ApplyTxMessage(new ClientTx(1, [ProjectPut(login.ClientNumber, 1, "via shared secret")])));
        var ack = await writer.ExpectAsync<AckTxMessage>();

        Assert.Equal(AckStatus.Applied, ack.Status);
        Assert.Equal(ack.Position, await server.HeadAsync());
    }

    [Theory]
    [InlineData("wrong shared secret")]
    [InlineData("tampered JWT")]
    [InlineData("JWT alg none")]
    [InlineData("JWT HS256 with the public key")]
    [InlineData("expired JWT")]
    [InlineData("JWT not yet valid")]
    [InlineData("JWT for another audience")]
    [InlineData("JWT from another issuer")]
    [InlineData("Google token for another app")]
    [InlineData("JWT as a Google token")]
    [InlineData("wrong admin password")]
    [InlineData("unknown admin user")]
    [InlineData("no credentials")]
    public async Task Bad_credentials_get_43_and_the_session_carries_no_data(string kind)
    {
        var head = await server.HeadAsync();
        await using var client = await server.ConnectAsync();
        var (type, credentials) = kind == "wrong shared secret"
            ? (CredentialType.SharedSecret, SharedSecretProof.Compute("guess", await client.HelloAsync(), client.ClientId))
            : Credentials(kind);

        // LOGIN and, without waiting for its result, a TX and a request for updates.
        await client.SendAsync(new LoginMessage(MessageCodec.ProtocolVersion, client.ClientId, type, credentials, server.SchemaHash, RequestUpdatesMode.Auto, 0));
        await client.SendAsync(new ApplyTxMessage(new ClientTx(1, [ProjectPut(1, 999, "must not be applied")])));
        await client.SendAsync(new RequestUpdatesMessage(true));

        var result = await client.ExpectAsync<LoginResultMessage>();
        Assert.Equal(LoginResultCode.CredentialsRejected, result.Code);
        Assert.Equal("credentials rejected", result.Text);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitForCloseAsync()); // and nothing before the close
        Assert.Equal(head, await server.HeadAsync());
        await server.Server.WaitForLineAsync(new Regex($@"\[DEBUG\] \[SvAuth\] Login from .* with credential type {type} refused \(43\): .+"));
    }

    [Fact]
    public async Task A_JWT_signed_with_a_rotated_key_is_accepted_after_one_refresh_of_the_key_URL()
    {
        using var rotated = TestTokens.Rsa("jwt-2");
        await using (var before = await server.ConnectAsync())
        {
            Assert.Equal(LoginResultCode.Ok, (await before.LoginAsync(server.SchemaHash, RequestUpdatesMode.Manual, credentialType: CredentialType.JwtId,
                credentials: Encoding.UTF8.GetBytes(server.Jwt.Create()))).Code);
        }

        server.JwtKeys.Body = TestTokens.Jwks(server.Jwt, rotated);
        var requests = server.JwtKeys.Requests;
        await using var client = await server.ConnectAsync();
        var result = await client.LoginAsync(server.SchemaHash, RequestUpdatesMode.Manual, credentialType: CredentialType.JwtId,
            credentials: Encoding.UTF8.GetBytes(rotated.Create()));

        Assert.Equal(LoginResultCode.Ok, result.Code);
        Assert.Equal(requests + 1, server.JwtKeys.Requests);
    }

    private static PutOp ProjectPut(uint clientNumber, ulong localId, string name)
    {
        var model = Core.Model.ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel));
        var project = model.FindEntity(1)!;
        var id = ((ulong)clientNumber << 40) | localId;
        return new PutOp(project.Id.Id, id, ObjectCodec.Encode(project, new Dictionary<uint, object?> { [1] = id, [2] = name, [3] = 7 }));
    }
}
