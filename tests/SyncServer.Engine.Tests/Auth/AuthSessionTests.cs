using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Sync.Sessions;
using SyncServer.Engine.Tests.Sync.Sessions;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Auth;

/// <summary>
/// Logins through real sessions (loopback WebSockets, the engine as AddSyncEngine wires it) with a shared secret and an
/// inline JWT key: accepted logins sync; refused ones get their code, nothing else, and nothing they sent is applied.
/// </summary>
public sealed class AuthSessionTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "s3cret-s3cret-s3cret";
    private readonly TempDirectory _temp = new();
    private readonly TestTokens _tokens = TestTokens.Rsa();
    private SessionEngine _host = null!;
    private int _port = 40000;

    private SyncEngine Engine => _host.Engine;

    private SyncSessionHost Sessions => _host.Sessions;

    private byte[] SchemaHash => Convert.FromHexString(Engine.Schema.Current!.Model.Hash);

    public Task InitializeAsync()
    {
        _host = SessionEngine.Start(
            new SyncEngineOptions
            {
                DataDirectory = _temp.Combine("data"),
                ModelFile = TestPaths.ExampleModel,
                Auth = new ClientAuthOptions
                {
                    SharedSecret = new SharedSecretAuthOptions(Secret),
                    Jwt = new JwtAuthOptions { PublicKey = _tokens.PublicKeyPem, Audiences = [TestTokens.Audience], Issuers = [TestTokens.Issuer] },
                },
            },
            services => services.AddOptions<SyncOptions>().Configure(o => o.LoginFailuresPerAddress = 1000));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _tokens.Dispose();
    }

    public void Dispose() => _temp.Dispose();

    private async Task<RawSyncClient> ConnectAsync()
    {
        var client = await RawSyncClient.LoopbackAsync();
        _ = Sessions.RunAsync(client.ServerSide!, $"192.0.2.1:{Interlocked.Increment(ref _port)}", CancellationToken.None);
        return client;
    }

    private LoginMessage Login(byte[] clientId, CredentialType type, byte[] credentials) =>
        new(MessageCodec.ProtocolVersion, clientId, type, credentials, SchemaHash, RequestUpdatesMode.Auto, 0);

    private ApplyTxMessage Push(ulong id) => new(new ClientTx(1, [Put(Engine.Schema.Current!.Model, "Tag", id)]));

    [Fact]
    public async Task A_shared_secret_login_proves_the_secret_over_the_connections_challenge_and_syncs()
    {
        await using var client = await ConnectAsync();
        byte[] clientId = [1, 1];

        await client.SendAsync(new HelloMessage());
        var challenge = await client.ExpectAsync<ChallengeMessage>();
        await client.SendAsync(Login(clientId, CredentialType.SharedSecret, SharedSecretProof.Compute(Secret, challenge.Nonce, clientId)));
        var result = await client.ExpectAsync<LoginResultMessage>();

        Assert.Equal(LoginResultCode.Ok, result.Code);
        await client.SendAsync(new ApplyTxMessage(new ClientTx(1, [Put(Engine.Schema.Current!.Model, "Tag", ((ulong)result.ClientNumber << 40) | 1)])));
        Assert.Equal(AckStatus.Applied, (await client.ReceiveUntilAsync<AckTxMessage>()).Found.Status);
    }

    [Fact]
    public async Task Each_connection_gets_a_fresh_challenge_so_a_captured_login_cannot_be_replayed()
    {
        byte[] clientId = [2, 2];
        await using var first = await ConnectAsync();
        await first.SendAsync(new HelloMessage());
        var firstChallenge = await first.ExpectAsync<ChallengeMessage>();
        var captured = Login(clientId, CredentialType.SharedSecret, SharedSecretProof.Compute(Secret, firstChallenge.Nonce, clientId));
        await first.SendAsync(captured);
        Assert.Equal(LoginResultCode.Ok, (await first.ExpectAsync<LoginResultMessage>()).Code);
        await first.CloseAsync();

        await using var replay = await ConnectAsync();
        await replay.SendAsync(new HelloMessage());
        var secondChallenge = await replay.ExpectAsync<ChallengeMessage>();
        await replay.SendAsync(captured);
        var result = await replay.ExpectAsync<LoginResultMessage>();

        Assert.NotEqual(firstChallenge.Nonce, secondChallenge.Nonce);
        Assert.Equal(LoginResultCode.CredentialsRejected, result.Code);
    }

    public static TheoryData<string> Refusals() => ["wrong secret", "secret without HELLO", "tampered JWT", "alg none", "expired JWT", "NONE"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_login_gets_43_and_the_session_carries_no_data(string kind)
    {
        await using var client = await ConnectAsync();
        var stats = _host.Provider.GetRequiredService<SyncStatistics>();
        var failuresBefore = stats.Current[StatNames.FailuresLogin];
        var headBefore = Engine.Services.Feed.Head;
        byte[] clientId = [3, (byte)kind.Length];
        byte[] nonce = [];
        if (kind == "wrong secret")
        {
            await client.SendAsync(new HelloMessage());
            nonce = (await client.ExpectAsync<ChallengeMessage>()).Nonce;
        }

        var (type, credentials) = kind switch
        {
            "wrong secret" => (CredentialType.SharedSecret, SharedSecretProof.Compute("guess", nonce, clientId)),
            "secret without HELLO" => (CredentialType.SharedSecret, SharedSecretProof.Compute(Secret, new byte[32], clientId)),
            "tampered JWT" => (CredentialType.JwtId, Encoding.UTF8.GetBytes(_tokens.CreateTampered())),
            "alg none" => (CredentialType.JwtId, Encoding.UTF8.GetBytes(_tokens.CreateUnsigned())),
            "expired JWT" => (CredentialType.JwtAccess, Encoding.UTF8.GetBytes(_tokens.Create(notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1)))),
            _ => (CredentialType.None, Array.Empty<byte>()),
        };

        // LOGIN and, right behind it without waiting, an APPLY_TX and a REQUEST_UPDATES.
        await client.SendAsync(Login(clientId, type, credentials));
        await client.SendAsync(Push(0x0000_0100_0000_0001));
        await client.SendAsync(new RequestUpdatesMessage(true));
        var messages = await client.ReadToEndAsync();

        var result = Assert.IsType<LoginResultMessage>(Assert.Single(messages));
        Assert.Equal(LoginResultCode.CredentialsRejected, result.Code);
        Assert.Equal(0u, result.ClientNumber);
        Assert.Equal(headBefore, Engine.Services.Feed.Head);
        Assert.Equal(failuresBefore + 1, stats.Current[StatNames.FailuresLogin]);
    }

    [Fact]
    public async Task A_valid_JWT_logs_in()
    {
        await using var client = await ConnectAsync();

        await client.SendAsync(Login([4], CredentialType.JwtId, Encoding.UTF8.GetBytes(_tokens.Create())));

        Assert.Equal(LoginResultCode.Ok, (await client.ExpectAsync<LoginResultMessage>()).Code);
    }

    [Fact]
    public async Task HELLO_after_LOGIN_or_twice_is_an_error()
    {
        await using var twice = await ConnectAsync();
        await twice.SendAsync(new HelloMessage());
        await twice.ExpectAsync<ChallengeMessage>();
        await twice.SendAsync(new HelloMessage());

        var error = await twice.ExpectAsync<ErrorMessage>();

        Assert.Equal(ErrorCode.UnexpectedMessage, error.Code);
    }
}
