using SyncServer.Client.Tests.Infrastructure;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Client.Tests;

/// <summary>The client's side of the protocol, message by message, against a scripted fake server.</summary>
public sealed class SessionTests
{
    private const uint Number = 3;
    private const ulong Foreign = 9UL << 40;

    private static async Task<(SyncClient Client, FakeSession Session, LoginMessage Login)> ConnectAsync(
        FakeSyncServer server, TempDirectory dir, ulong lastClientTxId = 0, Action<SyncClient>? beforeStart = null)
    {
        var client = new SyncClient(TestModels.Options(dir.Path, server.Url));
        beforeStart?.Invoke(client);
        client.Start();
        var session = await server.NextSessionAsync();
        var login = await session.ReceiveAsync<LoginMessage>();
        await session.SendAsync(new LoginResultMessage(LoginResultCode.Ok, 0, Number, 1, lastClientTxId, 0, ""));
        return (client, session, login);
    }

    [Fact]
    public async Task Login_carries_the_client_id_model_hash_and_position_and_resends_TXs_whose_ACK_was_lost()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        var (client, session, login) = await ConnectAsync(server, dir, lastClientTxId: 1, c =>
        {
            c.Box("Task").Put(new Dictionary<string, object?> { ["title"] = "already applied" });
            c.Box("Task").Put(new Dictionary<string, object?> { ["title"] = "not yet" });
        });
        await using var _ = client;

        Assert.Equal(client.ClientId.ToArray(), login.ClientId);
        Assert.Equal(Convert.FromHexString(client.Model.Hash), login.SchemaHash);
        // Protocol version 1: no filter variables (FilterVariableTests has version 2).
        Assert.Equal(((ushort)1, CredentialType.None, RequestUpdatesMode.Auto, 0UL),
            (login.ProtocolVersion, login.CredentialType, login.Mode, login.LastPosition));

        // TX 1 was applied (LOGIN_RESULT says so) but its ACK was lost: it is resent, for its duplicate ACK and correction.
        var resent = await session.ReceiveAsync<ApplyTxMessage>();
        Assert.Equal(1UL, resent.Tx.ClientTxId);
        var apply = await session.ReceiveAsync<ApplyTxMessage>();
        Assert.Equal(2UL, apply.Tx.ClientTxId);
        var put = Assert.IsType<PutOp>(Assert.Single(apply.Tx.Ops));
        Assert.Equal(((ulong)Number << 40) | 2, put.ObjectId);
        Assert.Equal(put.ObjectId, ObjectCodec.ReadId(client.Model.FindEntity("Task")!, put.Data.Span));

        await session.SendAsync(new AckTxMessage(1, 0, AckStatus.Duplicate, 0));
        var winning = ObjectCodec.Encode(client.Model.FindEntity("Task")!, new Dictionary<uint, object?> { [1] = ((ulong)Number << 40) | 1, [2] = "the server's state" });
        await session.SendAsync(new TxsMessage(false, [EncodedTx.From(new ServerTx(0, 0, [new PutOp(TestModels.TaskId, ((ulong)Number << 40) | 1, winning)]))]));
        await session.SendAsync(new AckTxMessage(2, 1, AckStatus.Applied, 0));
        using var timeout = new CancellationTokenSource(Wait.DefaultTimeout);
        await client.WaitForUploadAsync(timeout.Token);
        Assert.Equal(0, client.OutboxCount);
        await Wait.UntilAsync(() => (string?)client.Box("Task").Get(1)?["title"] == "the server's state", "the duplicate's correction is applied");
    }

    [Fact]
    public async Task Incoming_TXs_are_applied_in_local_IDs_once_and_acknowledged_with_their_position()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        var (client, session, _) = await ConnectAsync(server, dir);
        await using var _c = client;
        var taskEntity = client.Model.FindEntity("Task")!;
        var data = ObjectCodec.Encode(taskEntity, new Dictionary<uint, object?> { [1] = Foreign | 5, [2] = "from afar", [4] = Foreign | 8 });
        var changed = Wait.ForEventAsync<DataChangedEventArgs>(h => client.DataChanged += h, h => client.DataChanged -= h);
        var txs = new TxsMessage(false, [EncodedTx.From(new ServerTx(7, 0, [new PutOp(TestModels.TaskId, Foreign | 5, data)]))]);

        await session.SendAsync(txs);
        var applied = await session.ReceiveAsync<TxsAppliedMessage>();
        await session.SendAsync(txs); // a resend: position 7 is applied already
        await session.SendAsync(new TxsMessage(false, [EncodedTx.From(new ServerTx(8, 0, [new RemoveOp(TestModels.TagId, Foreign | 1, 0)]))]));
        var applied2 = await session.ReceiveAsync<TxsAppliedMessage>();

        var change = await changed;
        Assert.Equal("Task", change.Entity);
        Assert.Equal([1UL], change.PutIds);
        var task = client.Box("Task").Get(1)!;
        Assert.Equal(("from afar", 1UL), ((string?)task["title"], (ulong)task["projectId"]!));
        Assert.Equal((7UL, 8UL), (applied.Position, applied2.Position));
        Assert.Equal(8UL, client.Position);
        Assert.Equal(1, client.Box("Task").Count());
    }

    [Fact]
    public async Task UPDATES_COMPLETE_moves_the_position_past_the_clients_own_TXs_and_never_back()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        var (client, session, _) = await ConnectAsync(server, dir);
        await using var _c = client;
        var completed = EndToEndHarness.UpdatesCompletedAsync(client);

        // The catch-up skipped positions 1 to 4 (this client's own TXs): the client is at 4 all the same.
        await session.SendAsync(new UpdatesCompleteMessage(4));
        var applied = await session.ReceiveAsync<TxsAppliedMessage>();
        await completed;
        Assert.Equal(4UL, applied.Position);
        Assert.Equal(4UL, client.Position);

        completed = EndToEndHarness.UpdatesCompletedAsync(client);
        await session.SendAsync(new UpdatesCompleteMessage(2));
        await completed;
        Assert.Equal(4UL, client.Position);
    }

    [Fact]
    public async Task An_incoming_put_of_an_object_with_a_queued_change_is_skipped_but_a_correction_is_not()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        var (client, session, _) = await ConnectAsync(server, dir, beforeStart: c => c.Box("Tag").Put(new Dictionary<string, object?> { ["name"] = "mine" }));
        await using var _c = client;
        var tag = client.Model.FindEntity("Tag")!;
        var own = ((ulong)Number << 40) | 1;
        await session.ReceiveAsync<ApplyTxMessage>(); // not ACKed: the change stays queued

        await session.SendAsync(new TxsMessage(false, [EncodedTx.From(new ServerTx(1, 0,
            [new PutOp(TestModels.TagId, own, ObjectCodec.Encode(tag, new Dictionary<uint, object?> { [1] = own, [2] = "theirs" }))]))]));
        await session.ReceiveAsync<TxsAppliedMessage>();
        Assert.Equal("mine", client.Box("Tag").Get(1)!["name"]);

        var corrected = Wait.ForEventAsync<DataChangedEventArgs>(h => client.DataChanged += h, h => client.DataChanged -= h);
        await session.SendAsync(new TxsMessage(false, [EncodedTx.From(new ServerTx(0, 0,
            [new PutOp(TestModels.TagId, own, ObjectCodec.Encode(tag, new Dictionary<uint, object?> { [1] = own, [2] = "winner" }))]))]));
        await corrected;
        Assert.Equal("winner", client.Box("Tag").Get(1)!["name"]);
        Assert.Equal(1UL, client.Position); // a correction does not move the position
    }

    [Fact]
    public async Task An_ERROR_naming_a_TX_drops_it_from_the_outbox_and_reports_it()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        var (client, session, _) = await ConnectAsync(server, dir, beforeStart: c => c.Box("Task").Put(new Dictionary<string, object?> { ["title"] = "bad" }));
        await using var _c = client;
        var apply = await session.ReceiveAsync<ApplyTxMessage>();

        var rejected = Wait.ForEventAsync<TxRejectedEventArgs>(h => client.TxRejected += h, h => client.TxRejected -= h,
            () => session.SendAsync(new ErrorMessage(ErrorCode.InvalidObject, apply.Tx.ClientTxId, "operation 0: bad object")));

        var e = await rejected;
        Assert.Equal((1UL, ErrorCode.InvalidObject), (e.ClientTxId, e.Code));
        Assert.Equal(0, client.OutboxCount);
        Assert.Equal("bad", client.Box("Task").Get(1)!["title"]); // the local data keeps the change

        var next = await server.NextSessionAsync(); // the client reconnects and does not resend it
        await next.ReceiveAsync<LoginMessage>();
        await next.SendAsync(new LoginResultMessage(LoginResultCode.Ok, 0, Number, 1, 0, 0, ""));
        client.Box("Task").Put(new Dictionary<string, object?> { ["title"] = "good" });
        Assert.Equal(2UL, (await next.ReceiveAsync<ApplyTxMessage>()).Tx.ClientTxId);
    }

    [Fact]
    public async Task A_full_sync_forgets_synced_objects_the_snapshot_lacks_but_keeps_queued_ones()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        var (client, session, _) = await ConnectAsync(server, dir);
        await using var _c = client;
        var tag = client.Model.FindEntity("Tag")!;
        PutOp Tag(ulong global, string name) => new(TestModels.TagId, global, ObjectCodec.Encode(tag, new Dictionary<uint, object?> { [1] = global, [2] = name }));
        await session.SendAsync(new TxsMessage(false, [EncodedTx.From(new ServerTx(1, 0, [Tag(Foreign | 1, "stale"), Tag(Foreign | 2, "kept")]))]));
        await session.ReceiveAsync<TxsAppliedMessage>();
        var queued = client.Box("Tag").Put(new Dictionary<string, object?> { ["name"] = "queued" });
        client.Box("Draft").Put(new Dictionary<string, object?> { ["text"] = "local only" });
        await session.ReceiveAsync<ApplyTxMessage>();

        await session.SendAsync(new FullSyncBeginMessage(50));
        await session.SendAsync(new FullSyncDataMessage([Tag(Foreign | 2, "kept")]));
        await session.SendAsync(new FullSyncEndMessage(50));
        Assert.Equal(50UL, (await session.ReceiveAsync<TxsAppliedMessage>()).Position);

        Assert.Equal(["kept", "queued"], client.Box("Tag").GetAll().Select(t => t["name"]).Order());
        Assert.NotNull(client.Box("Tag").Get(queued));
        Assert.Equal(1, client.Box("Draft").Count());
        Assert.Equal(50UL, client.Position);
    }

    [Fact]
    public async Task A_refused_login_is_reported_and_new_credentials_log_in_again_at_once()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        var options = TestModels.Options(dir.Path, server.Url);
        await using var client = new SyncClient(new SyncClientOptions
        {
            ModelJson = options.ModelJson, DataDirectory = options.DataDirectory, ServerUrls = options.ServerUrls,
            ReconnectDelays = [TimeSpan.FromMinutes(10)], // only SetCredentials can bring the next attempt soon
        });
        client.Start();
        var session = await server.NextSessionAsync();
        await session.ReceiveAsync<LoginMessage>();
        var failed = Wait.ForEventAsync<LoginFailedEventArgs>(h => client.LoginFailed += h, h => client.LoginFailed -= h,
            () => session.SendAsync(new LoginResultMessage(LoginResultCode.CredentialsRejected, 0, 0, 0, 0, 0, "no")));
        Assert.Equal(LoginResultCode.CredentialsRejected, (await failed).Code);

        client.SetCredentials(SyncCredentials.JwtId("token-2"));
        var next = await server.NextSessionAsync();
        var login = await next.ReceiveAsync<LoginMessage>();
        Assert.Equal((CredentialType.JwtId, "token-2"), (login.CredentialType, System.Text.Encoding.UTF8.GetString(login.Credentials)));
    }

    [Fact]
    public async Task A_shared_secret_login_asks_for_a_challenge_and_sends_only_the_HMAC_over_it()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        var options = TestModels.Options(dir.Path, server.Url);
        await using var client = new SyncClient(new SyncClientOptions
        {
            ModelJson = options.ModelJson, DataDirectory = options.DataDirectory, ServerUrls = options.ServerUrls,
            Credentials = SyncCredentials.SharedSecret("s3cret"),
        });
        client.Start();
        var session = await server.NextSessionAsync();

        await session.ReceiveAsync<HelloMessage>();
        var nonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(MessageCodec.ChallengeLength);
        await session.SendAsync(new ChallengeMessage(nonce));
        var login = await session.ReceiveAsync<LoginMessage>();

        Assert.Equal(CredentialType.SharedSecret, login.CredentialType);
        Assert.Equal(SharedSecretProof.Compute("s3cret", nonce, login.ClientId), login.Credentials);
        Assert.DoesNotContain("s3cret", System.Text.Encoding.UTF8.GetString(login.Credentials), StringComparison.Ordinal);
        Assert.Equal("SharedSecret (6 bytes)", SyncCredentials.SharedSecret("s3cret").ToString());
    }
}
