using System.Text;
using System.Text.RegularExpressions;
using SyncServer.Core.Model;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Tests.Auth;

namespace SyncServer.Web.Tests.Auth;

/// <summary>Required methods, an unreachable key URL, and the per-address throttle, each on a server process of its own.</summary>
public sealed class AuthOptionsProcessTests
{
    private const string Secret = "options-secret-0123456789";
    private static readonly byte[] SchemaHash = Convert.FromHexString(ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel)).Hash);

    private static string WriteConfig(TempDirectory dir, string auth)
    {
        var path = dir.Combine("sync-server-config.json");
        File.WriteAllText(path, $$"""{ "auth": {{auth}} }""");
        return path;
    }

    [Fact]
    public async Task With_a_required_method_a_client_presenting_another_one_gets_43()
    {
        using var dir = new TempDirectory();
        using var tokens = TestTokens.Rsa();
        var config = WriteConfig(dir, $$"""
            { "sharedSecret": "{{Secret}}", "jwt": { "publicKey": {{System.Text.Json.JsonSerializer.Serialize(tokens.PublicKeyPem)}}, "claimAud": "{{TestTokens.Audience}}" } }
            """);
        await using var server = await ServerProcess.StartAndWaitAsync(
            dir.Path, "--model", TestPaths.ExampleModel, "-c", config, "--auth-required", "sharedSecret", "--log-level", "debug");

        await using var withJwt = await RawSyncClient.ConnectAsync(server.SyncPort);
        var jwt = await withJwt.LoginAsync(SchemaHash, credentialType: CredentialType.JwtId, credentials: Encoding.UTF8.GetBytes(tokens.Create()));
        await using var withSecret = await RawSyncClient.ConnectAsync(server.SyncPort);
        var secret = await withSecret.LoginWithSecretAsync(SchemaHash, Secret, RequestUpdatesMode.Manual);

        Assert.Equal(LoginResultCode.CredentialsRejected, jwt.Code);
        Assert.Equal(LoginResultCode.Ok, secret.Code);
        await server.WaitForLineAsync(new Regex(@"refused \(43\): credential type JwtId is enabled, but a required method must be used \(sharedSecret\)"));
    }

    [Fact]
    public async Task An_unreachable_key_URL_from_the_command_line_gives_53()
    {
        using var dir = new TempDirectory();
        using var tokens = TestTokens.Rsa();
        await using var server = await ServerProcess.StartAndWaitAsync(
            dir.Path, "--model", TestPaths.ExampleModel, "--jwt-public-key-url", KeyServer.Unreachable().ToString(),
            "--jwt-claim-aud", TestTokens.Audience, "--jwt-claim-iss", TestTokens.Issuer, "--log-level", "debug");

        await using var client = await RawSyncClient.ConnectAsync(server.SyncPort);
        var result = await client.LoginAsync(SchemaHash, credentialType: CredentialType.JwtId, credentials: Encoding.UTF8.GetBytes(tokens.Create()));

        Assert.Equal(LoginResultCode.AuthUnreachable, result.Code);
        Assert.Equal("authentication is unavailable", result.Text);
        await server.WaitForLineAsync(new Regex(@"refused \(53\): the key URL .* is unreachable"));
    }

    [Fact]
    public async Task After_too_many_failed_logins_an_address_gets_40_even_with_the_right_secret()
    {
        using var dir = new TempDirectory();
        var config = WriteConfig(dir, $$"""{ "sharedSecret": { "value": "{{Secret}}", "required": true } }""");
        await using var server = await ServerProcess.StartAndWaitAsync(
            dir.Path,
            new Dictionary<string, string> { ["Sync__LoginFailuresPerAddress"] = "3", ["Sync__LoginBlockTime"] = "00:10:00" },
            "--model", TestPaths.ExampleModel, "-c", config, "--log-level", "debug");

        var codes = new List<LoginResultCode>();
        for (var i = 0; i < 3; i++)
        {
            await using var guesser = await RawSyncClient.ConnectAsync(server.SyncPort);
            codes.Add((await guesser.LoginWithSecretAsync(SchemaHash, $"guess-{i}")).Code);
        }

        await using var right = await RawSyncClient.ConnectAsync(server.SyncPort);
        var blocked = await right.LoginWithSecretAsync(SchemaHash, Secret);

        Assert.Equal([LoginResultCode.CredentialsRejected, LoginResultCode.CredentialsRejected, LoginResultCode.CredentialsRejected], codes);
        Assert.Equal(LoginResultCode.RequestRejected, blocked.Code);
        Assert.Contains("too many failed logins", blocked.Text, StringComparison.Ordinal);
        await server.WaitForLineAsync(new Regex(@"\[WARN \] \[SvAuth\] Too many failed logins from 127\.0\.0\.1"));
    }
}
