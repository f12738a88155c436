using SyncServer.Core.Model;
using SyncServer.Engine.Tests.Auth;

namespace SyncServer.Web.Tests.Auth;

/// <summary>
/// One server process with every authentication method from the config file: a shared secret, JWT (keys from a local key
/// server), Google (another local key server) and admin users (the first admin from the environment). The throttle is
/// set high so that the rejection tests do not block each other.
/// </summary>
public sealed class AuthServerFixture : IAsyncLifetime, IDisposable
{
    public const string Secret = "process-secret-0123456789";
    public const string GoogleClientId = "123-app.apps.googleusercontent.com";
    public const string AdminUser = "syncadmin";
    public const string AdminPassword = "Adm1n-passw0rd!";

    private TempDirectory _dir = null!;

    internal ServerProcess Server { get; private set; } = null!;

    internal TestTokens Jwt { get; } = TestTokens.Rsa("jwt-1");

    internal TestTokens Google { get; } = TestTokens.Rsa("google-1");

    internal KeyServer JwtKeys { get; private set; } = null!;

    internal KeyServer GoogleKeys { get; private set; } = null!;

    public byte[] SchemaHash { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _dir = new TempDirectory();
        JwtKeys = new KeyServer(TestTokens.Jwks(Jwt));
        GoogleKeys = new KeyServer(TestTokens.X509Map(Google));
        SchemaHash = Convert.FromHexString(ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel)).Hash);
        var config = _dir.Combine("sync-server-config.json");
        File.WriteAllText(config, $$"""
            {
              "auth": {
                "sharedSecret": "{{Secret}}",
                "jwt": { "publicKeyUrl": "{{JwtKeys.Url}}", "claimAud": "{{TestTokens.Audience}}", "claimIss": "{{TestTokens.Issuer}}" },
                "google": { "clientIds": ["{{GoogleClientId}}"], "publicKeyUrl": "{{GoogleKeys.Url}}" },
                "obxAdmin": true
              }
            }
            """);
        Server = await ServerProcess.StartAndWaitAsync(
            _dir.Path,
            new Dictionary<string, string>
            {
                ["SYNCSERVER_ADMIN_USER"] = AdminUser,
                ["SYNCSERVER_ADMIN_PASSWORD"] = AdminPassword,
                ["Sync__LoginFailuresPerAddress"] = "1000",
            },
            "--model", TestPaths.ExampleModel, "-c", config, "-d", _dir.Combine("data"), "--log-level", "debug");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        JwtKeys.Dispose();
        GoogleKeys.Dispose();
        Jwt.Dispose();
        Google.Dispose();
    }

    public void Dispose() => _dir?.Dispose();

    internal Task<RawSyncClient> ConnectAsync() => RawSyncClient.ConnectAsync(Server.SyncPort);

    /// <summary>The server's head position, from a fresh shared-secret login.</summary>
    internal async Task<ulong> HeadAsync()
    {
        await using var client = await ConnectAsync();
        var result = await client.LoginWithSecretAsync(SchemaHash, Secret, Core.Protocol.RequestUpdatesMode.Manual);
        Assert.Equal(Core.Protocol.LoginResultCode.Ok, result.Code);
        return result.HeadPosition;
    }
}
