using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Web.Tests.Sync;

/// <summary>docs/protocol.md against the real server process, with a raw WebSocket client speaking MessageCodec.</summary>
public sealed partial class SyncSessionTests(SyncServerFixture server) : IClassFixture<SyncServerFixture>
{
    [Fact]
    public async Task Login_gives_a_new_client_a_number_the_schema_version_and_the_head()
    {
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        var a = await first.LoginAsync(server.SchemaHash, RequestUpdatesMode.Manual);
        var b = await second.LoginAsync(server.SchemaHash, RequestUpdatesMode.Manual);

        Assert.Equal(LoginResultCode.Ok, a.Code);
        Assert.Equal(LoginResultCode.Ok, b.Code);
        Assert.True(a.ClientNumber > 0);
        Assert.NotEqual(a.ClientNumber, b.ClientNumber);
        Assert.Equal(1u, a.SchemaVersionId);
        Assert.Equal(0ul, a.LastClientTxId);
        Assert.True(b.HeadPosition >= a.HeadPosition);
        Assert.InRange(a.ServerTimeUnixMs, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());

        // The head is the position of the last committed TX.
        await using var writer = await server.ConnectAndLoginAsync();
        var ack = await ApplyAsync(writer, 1, server.ProjectPut(writer.ClientNumber, 1, "head"));
        await using var third = await server.ConnectAsync();
        Assert.Equal(ack.Position, (await third.LoginAsync(server.SchemaHash, RequestUpdatesMode.Manual)).HeadPosition);
    }

    [Fact]
    public async Task Another_protocol_version_gets_55_and_the_connection_is_closed()
    {
        await using var client = await server.ConnectAsync();

        var result = await client.LoginAsync(server.SchemaHash, protocolVersion: 3);

        Assert.Equal(LoginResultCode.BadVersion, result.Code);
        Assert.Equal(0u, result.ClientNumber);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task An_unknown_schema_hash_gets_57()
    {
        await using var client = await server.ConnectAsync();

        var result = await client.LoginAsync(new byte[32]);

        Assert.Equal(LoginResultCode.UnsupportedDataModel, result.Code);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitForCloseAsync());
    }

    [Theory]
    [InlineData(CredentialType.SharedSecret)]
    [InlineData(CredentialType.JwtId)]
    [InlineData((CredentialType)200)]
    public async Task A_credential_type_without_an_authenticator_gets_43(CredentialType type)
    {
        await using var client = await server.ConnectAsync();

        var result = await client.LoginAsync(server.SchemaHash, credentialType: type);

        Assert.Equal(LoginResultCode.CredentialsRejected, result.Code);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitForCloseAsync());
        await server.Server.WaitForLineAsync(new Regex($@"\[DEBUG\] \[SvAuth\] Login from .* with credential type {Regex.Escape(Enum.IsDefined(type) ? type.ToString() : ((byte)type).ToString(System.Globalization.CultureInfo.InvariantCulture))} refused \(43\)"));
    }

    [Fact]
    public async Task The_same_client_ID_twice_gets_61_and_the_first_session_keeps_working()
    {
        await using var first = await server.ConnectAndLoginAsync();
        await using var second = await server.ConnectAsync();
        second.ClientId = first.ClientId;

        var result = await second.LoginAsync(server.SchemaHash);

        Assert.Equal(LoginResultCode.ClientIdTaken, result.Code);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await second.WaitForCloseAsync());
        var ack = await ApplyAsync(first, 1, server.ProjectPut(first.ClientNumber, 1, "still here"));
        Assert.Equal(AckStatus.Applied, ack.Status);
    }

    [Fact]
    public async Task An_applied_TX_is_acked_pushed_live_to_other_clients_and_never_echoed_to_its_sender()
    {
        await using var sender = await server.ConnectAndLoginAsync();
        await using var receiver = await server.ConnectAndLoginAsync();
        var put = server.ProjectPut(sender.ClientNumber, 1, "live");

        var ack = await ApplyAsync(sender, 1, put);

        Assert.Equal(AckStatus.Applied, ack.Status);
        Assert.True(ack.Position > 0);
        var pushed = await receiver.ExpectAsync<TxsMessage>();
        Assert.False(pushed.Historic);
        var tx = Assert.Single(pushed.Txs);
        Assert.Equal(ack.Position, tx.Position);
        var op = Assert.IsType<PutOp>(Assert.Single(tx.DecodeOps()));
        Assert.Equal(put.ObjectId, op.ObjectId);
        Assert.Equal("live", server.ProjectName(op));

        // The receiver's TX reaches the sender; the sender's own TX never came back before it.
        var answer = await ApplyAsync(receiver, 1, server.ProjectPut(receiver.ClientNumber, 1, "answer"));
        var next = await sender.ExpectAsync<TxsMessage>();
        Assert.Equal([answer.Position], next.Txs.Select(t => t.Position));
    }

    [Fact]
    public async Task Pipelined_TXs_are_acked_in_order_and_a_resent_TX_ID_is_a_duplicate_applied_once()
    {
        await using var client = await server.ConnectAndLoginAsync();
        var number = client.ClientNumber;

        await client.SendAsync(new ApplyTxMessage(new ClientTx(1, [server.ProjectPut(number, 1, "one")])));
        await client.SendAsync(new ApplyTxMessage(new ClientTx(2, [server.ProjectPut(number, 2, "two")])));
        await client.SendAsync(new ApplyTxMessage(new ClientTx(1, [server.ProjectPut(number, 1, "one again")])));
        var acks = new[] { await client.ExpectAsync<AckTxMessage>(), await client.ExpectAsync<AckTxMessage>(), await client.ExpectAsync<AckTxMessage>() };

        Assert.Equal([1ul, 2ul, 1ul], acks.Select(a => a.ClientTxId));
        Assert.Equal([AckStatus.Applied, AckStatus.Applied, AckStatus.Duplicate], acks.Select(a => a.Status));
        Assert.Equal(acks[0].Position + 1, acks[1].Position);

        // Nothing was logged for the duplicate: the head is still the second TX, and a new client sees "one", not "one again".
        await using var observer = await server.ConnectAsync();
        var login = await observer.LoginAsync(server.SchemaHash);
        Assert.Equal(acks[1].Position, login.HeadPosition);
        var (catchUp, _) = await observer.ReceiveUntilAsync<UpdatesCompleteMessage>();
        var puts = catchUp.OfType<FullSyncDataMessage>().SelectMany(m => m.Ops).OfType<PutOp>().Where(p => p.ObjectId == server.ProjectPut(number, 1, "").ObjectId);
        Assert.Equal("one", server.ProjectName(Assert.Single(puts)));
    }

    [Fact]
    public async Task A_reconnecting_client_catches_up_on_exactly_what_it_missed_without_its_own_TXs()
    {
        var clientId = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        ulong seen;
        uint number;
        await using (var client = await server.ConnectAsync())
        {
            client.ClientId = clientId;
            var (result, _, complete) = await client.LoginAndCatchUpAsync(server.SchemaHash);
            (seen, number) = (complete.Position, result.ClientNumber);
            await ApplyAsync(client, 1, server.ProjectPut(number, 1, "mine"));
        }

        await using var other = await server.ConnectAndLoginAsync();
        var otherNumber = other.ClientNumber;
        var missed1 = await ApplyAsync(other, 1, server.ProjectPut(otherNumber, 1, "missed 1"));
        var missed2 = await ApplyAsync(other, 2, server.ProjectPut(otherNumber, 2, "missed 2"));

        await using var again = await server.ConnectAsync();
        again.ClientId = clientId;
        var (login, catchUp, done) = await again.LoginAndCatchUpAsync(server.SchemaHash, lastPosition: seen);

        Assert.Equal(number, login.ClientNumber);
        Assert.Equal(1ul, login.LastClientTxId);
        Assert.All(catchUp, m => Assert.True(m is TxsMessage { Historic: true }, RawSyncClient.Describe(m)));
        Assert.Equal([missed1.Position, missed2.Position], catchUp.OfType<TxsMessage>().SelectMany(m => m.Txs).Select(t => t.Position));
        Assert.Equal(missed2.Position, done.Position);
    }

    [Fact]
    public async Task A_new_client_gets_a_full_sync_then_updates_complete()
    {
        await using var writer = await server.ConnectAndLoginAsync();
        var put = server.ProjectPut(writer.ClientNumber, 1, "in the snapshot");
        var ack = await ApplyAsync(writer, 1, put);

        await using var fresh = await server.ConnectAsync();
        var login = await fresh.LoginAsync(server.SchemaHash, RequestUpdatesMode.Auto, lastPosition: 0);
        var begin = await fresh.ExpectAsync<FullSyncBeginMessage>();
        var (data, end) = await fresh.ReceiveUntilAsync<FullSyncEndMessage>();
        var complete = await fresh.ExpectAsync<UpdatesCompleteMessage>();

        Assert.Equal(LoginResultCode.Ok, login.Code);
        Assert.True(begin.SnapshotPosition >= ack.Position);
        Assert.Equal(begin.SnapshotPosition, end.SnapshotPosition);
        Assert.All(data, m => Assert.IsType<FullSyncDataMessage>(m));
        var snapshotPut = Assert.Single(data.Cast<FullSyncDataMessage>().SelectMany(m => m.Ops).OfType<PutOp>(), p => p.ObjectId == put.ObjectId);
        Assert.Equal(put.Data.ToArray(), snapshotPut.Data.ToArray());
        Assert.True(complete.Position >= end.SnapshotPosition);
    }

    [Fact]
    public async Task Manual_mode_gets_nothing_until_REQUEST_UPDATES_and_CANCEL_UPDATES_stops_live_pushes()
    {
        await using var writer = await server.ConnectAndLoginAsync();
        var writerNumber = writer.ClientNumber;
        await using var manual = await server.ConnectAsync();
        Assert.Equal(LoginResultCode.Ok, (await manual.LoginAsync(server.SchemaHash, RequestUpdatesMode.Manual)).Code);

        var first = await ApplyAsync(writer, 1, server.ProjectPut(writerNumber, 1, "manual 1"));
        Assert.Empty(await manual.RoundTripAsync());

        // Catch up once: a full sync (position 0), then UPDATES_COMPLETE; no live pushes afterwards.
        await manual.SendAsync(new RequestUpdatesMessage(Subscribe: false));
        var (catchUp, complete) = await manual.ReceiveUntilAsync<UpdatesCompleteMessage>();
        Assert.IsType<FullSyncBeginMessage>(catchUp[0]);
        Assert.True(complete.Position >= first.Position);
        var second = await ApplyAsync(writer, 2, server.ProjectPut(writerNumber, 2, "manual 2"));
        Assert.Empty(await manual.RoundTripAsync());

        // Subscribe: the missed TX as catch-up, then live.
        await manual.SendAsync(new RequestUpdatesMessage(Subscribe: true));
        var (missed, completeAgain) = await manual.ReceiveUntilAsync<UpdatesCompleteMessage>();
        Assert.Equal([second.Position], missed.Cast<TxsMessage>().SelectMany(m => m.Txs).Select(t => t.Position));
        Assert.Equal(second.Position, completeAgain.Position);
        var third = await ApplyAsync(writer, 3, server.ProjectPut(writerNumber, 3, "manual 3"));
        var live = await manual.ExpectAsync<TxsMessage>();
        Assert.False(live.Historic);
        Assert.Equal(third.Position, Assert.Single(live.Txs).Position);

        await manual.SendAsync(new CancelUpdatesMessage());
        await manual.RoundTripAsync(); // the cancel has been handled
        await ApplyAsync(writer, 4, server.ProjectPut(writerNumber, 4, "manual 4"));
        Assert.Empty(await manual.RoundTripAsync());
    }

    [Fact]
    public async Task HEARTBEAT_is_answered_with_the_server_time_even_before_login()
    {
        await using var client = await server.ConnectAsync();

        await client.SendAsync(new HeartbeatMessage(12345));
        var answer = await client.ExpectAsync<HeartbeatMessage>();

        Assert.InRange(answer.TimeUnixMs, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        Assert.Equal(LoginResultCode.Ok, (await client.LoginAsync(server.SchemaHash)).Code);
    }

    [Fact]
    public async Task A_message_other_than_LOGIN_or_HEARTBEAT_before_login_is_ERROR_NotLoggedIn()
    {
        await using var client = await server.ConnectAsync();

        await client.SendAsync(new ApplyTxMessage(new ClientTx(5, [server.ProjectPut(1, 1, "early")])));
        var error = await client.ExpectAsync<ErrorMessage>();

        Assert.Equal(ErrorCode.NotLoggedIn, error.Code);
        Assert.Equal(5ul, error.ClientTxId);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task An_unknown_message_type_before_login_is_ERROR_Malformed()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync([0x63, 0x00, 0x01]);
        var error = await client.ExpectAsync<ErrorMessage>();

        Assert.Equal(ErrorCode.Malformed, error.Code);
        Assert.Equal(0ul, error.ClientTxId);
        Assert.Contains("unknown message type 99", error.Text, StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitForCloseAsync());
    }

    public static TheoryData<string> Rejections() =>
        ["non-sync entity", "unknown entity", "oversize message", "unknown message type", "type 0", "type 17", "truncated APPLY_TX", "text frame", "invalid object"];

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task A_rejected_message_gets_ERROR_and_a_close_while_another_client_keeps_working(string rejection)
    {
        await using var bystander = await server.ConnectAndLoginAsync();
        await using var victim = await server.ConnectAndLoginAsync();
        var number = victim.ClientNumber;
        var id = ((ulong)number << 40) | 1;

        (ErrorCode Code, ulong TxId, string Text) expected;
        switch (rejection)
        {
            case "non-sync entity":
                await victim.SendAsync(new ApplyTxMessage(new ClientTx(7, [new PutOp(SyncServerFixture.LocalNoteEntityId, id, LocalNote(id))])));
                expected = (ErrorCode.EntityNotSynced, 7, "LocalNote");
                break;
            case "unknown entity":
                await victim.SendAsync(new ApplyTxMessage(new ClientTx(7, [new RemoveOp(99, id, 0)])));
                expected = (ErrorCode.UnknownSchemaElement, 7, "entity ID 99");
                break;
            case "oversize message":
                await victim.SendAsync(new ApplyTxMessage(new ClientTx(7, [new PutOp(SyncServerFixture.ProjectEntityId, id, new byte[SyncServerFixture.MaxMessageBytes])])));
                expected = (ErrorCode.MessageTooLarge, 7, "limit");
                break;
            case "unknown message type":
                await victim.SendRawAsync([0xEE, 1, 2, 3]);
                expected = (ErrorCode.Malformed, 0, "238");
                break;
            case "type 0":
                await victim.SendRawAsync([0]);
                expected = (ErrorCode.Malformed, 0, "unknown message type 0");
                break;
            case "type 17":
                await victim.SendRawAsync([17, 0, 1]);
                expected = (ErrorCode.Malformed, 0, "unknown message type 17");
                break;
            case "truncated APPLY_TX":
                await victim.SendRawAsync([(byte)MessageType.ApplyTx, 7, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 1]);
                expected = (ErrorCode.Malformed, 7, "operation count");
                break;
            case "text frame":
                await victim.SendRawAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text);
                expected = (ErrorCode.TextFrame, 0, "text");
                break;
            default:
                await victim.SendAsync(new ApplyTxMessage(new ClientTx(7, [new PutOp(SyncServerFixture.ProjectEntityId, id, new byte[] { 1, 2, 3 })])));
                expected = (ErrorCode.InvalidObject, 7, "operation 0");
                break;
        }

        var error = await victim.ExpectAsync<ErrorMessage>();
        Assert.Equal(expected.Code, error.Code);
        Assert.Equal(expected.TxId, error.ClientTxId);
        Assert.Contains(expected.Text, error.Text, StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await victim.WaitForCloseAsync());

        var ack = await ApplyAsync(bystander, 1, server.ProjectPut(bystander.ClientNumber, 1, "unaffected"));
        Assert.Equal(AckStatus.Applied, ack.Status);
    }

    [Fact]
    public async Task The_debug_log_shows_connection_message_login_TX_ACK_and_push_lines()
    {
        await using var sender = await server.ConnectAndLoginAsync();
        await using var receiver = await server.ConnectAndLoginAsync();
        var number = sender.ClientNumber;
        var ack = await ApplyAsync(sender, 1, server.ProjectPut(number, 1, "logged"));
        await receiver.ExpectAsync<TxsMessage>();

        string[] expected =
        [
            @"\[DEBUG\] \[SvSync\] Connection from 127\.0\.0\.1:\d+$",
            $@"\[DEBUG\] \[SvSync\] Received Login \(\d+ bytes\) from 127\.0\.0\.1:\d+ \(client 0\)$",
            $@"\[DEBUG\] \[SvSync\] Login OK from 127\.0\.0\.1:\d+: client {number}, schema version ID 1, mode Auto",
            $@"\[DEBUG\] \[SvSync\] Applied TX 1 of client {number}: position {ack.Position}, 1 ops, Applied",
            $@"\[DEBUG\] \[SvSync\] Sent ACK_TX 1 to client {number}: position {ack.Position}",
            $@"\[DEBUG\] \[SvSync\] Pushed TXS \(live\) to client \d+: 1 TXs, positions {ack.Position} to {ack.Position}",
        ];
        foreach (var pattern in expected)
        {
            await server.Server.WaitForLineAsync(new Regex(pattern));
        }

        Assert.DoesNotContain(server.Server.Output, line => line.Contains("[INFO ] [SvSync] Login", StringComparison.Ordinal));
    }

    private byte[] LocalNote(ulong id) => Core.Objects.ObjectCodec.Encode(
        server.Model.FindEntity(SyncServerFixture.LocalNoteEntityId)!, new Dictionary<uint, object?> { [1] = id, [2] = "local" });

    private static async Task<AckTxMessage> ApplyAsync(RawSyncClient client, ulong txId, params SyncOp[] ops)
    {
        await client.SendAsync(new ApplyTxMessage(new ClientTx(txId, ops)));
        var ack = await client.ExpectAsync<AckTxMessage>();
        Assert.Equal(txId, ack.ClientTxId);
        return ack;
    }
}
