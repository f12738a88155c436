using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Core.Tests.Protocol;

/// <summary>One round trip per message type, plus the decoder's refusals.</summary>
public sealed class MessageCodecTests
{
    private static readonly byte[] Hash = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static readonly IReadOnlyList<SyncOp> AllOps =
    [
        new PutOp(2, 0x0000_0100_0000_0001, new byte[] { 1, 2, 3, 0, 255 }),
        new PutOp(3, ulong.MaxValue, Array.Empty<byte>()),
        new RemoveOp(2, 42, 0x1234_5678_9ABC_DEF0),
        new LinkOp(1, 7, 8, Linked: true),
        new LinkOp(1, 7, 9, Linked: false),
    ];

    public static TheoryData<SyncMessage> Messages() =>
    [
        new LoginMessage(1, [9, 8, 7], CredentialType.SharedSecret, [1, 2], Hash, RequestUpdatesMode.AutoNoPushes, 123_456),
        new LoginMessage(2, [9, 8, 7], CredentialType.None, [], Hash, RequestUpdatesMode.Auto, 5,
            [FilterVariable.Of("team", "grün"), FilterVariable.List("groups", "a", "b"), FilterVariable.List("none")]),
        new LoginResultMessage(LoginResultCode.UnsupportedDataModel, 1_764_150_000_123, 77, 3, 99, 1000, "schema ü unknown"),
        new ApplyTxMessage(new ClientTx(5, AllOps)),
        new AckTxMessage(5, 1001, AckStatus.Duplicate, 2),
        new TxsMessage(Historic: true, [EncodedTx.From(new ServerTx(10, 1_764_150_000_000, AllOps)), EncodedTx.From(new ServerTx(11, 1, []))]),
        new TxsAppliedMessage(11),
        new RequestUpdatesMessage(Subscribe: true),
        new CancelUpdatesMessage(),
        new UpdatesCompleteMessage(12),
        new FullSyncBeginMessage(13),
        new FullSyncDataMessage(AllOps),
        new FullSyncEndMessage(13),
        new HeartbeatMessage(-5),
        new ErrorMessage(ErrorCode.EntityNotSynced, 6, "operation 0: entity \"Local\" (ID 4) is not sync-enabled"),
        new HelloMessage(),
        new ChallengeMessage([.. Enumerable.Range(100, 32).Select(i => (byte)i)]),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_type_round_trips_and_starts_with_its_type_byte(SyncMessage message)
    {
        var bytes = MessageCodec.Encode(message);
        var decoded = MessageCodec.Decode(bytes);

        Assert.Equal((byte)message.Type, bytes[0]);
        Assert.Equal(Describe(message), Describe(decoded));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_truncation_of_a_message_is_refused_as_malformed(SyncMessage message)
    {
        var bytes = MessageCodec.Encode(message);

        for (var length = 1; length < bytes.Length; length++)
        {
            var error = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(bytes.AsSpan(0, length)));
            Assert.Equal(ErrorCode.Malformed, error.Code);
        }
    }

    [Fact]
    public void Trailing_bytes_are_refused_and_named()
    {
        byte[] bytes = [.. MessageCodec.Encode(new HeartbeatMessage(1)), 0, 0];

        var error = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(bytes));

        Assert.Equal("Heartbeat: 2 unexpected bytes after the end", error.Message);
    }

    [Fact]
    public void An_unknown_message_type_is_refused_as_malformed()
    {
        var error = Assert.Throws<ProtocolException>(() => MessageCodec.Decode([200]));

        Assert.Equal(ErrorCode.Malformed, error.Code);
        Assert.Contains("200", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transaction_over_the_operation_limit_is_refused_before_its_operations_are_read()
    {
        var bytes = MessageCodec.Encode(new ApplyTxMessage(new ClientTx(1, AllOps)));

        var error = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(bytes, maxOpsPerTx: 4));

        Assert.Equal(ErrorCode.TooManyOperations, error.Code);
        Assert.Equal("5 operations in one transaction; the limit is 4", error.Message);
    }

    [Fact]
    public void A_hostile_operation_count_is_refused_without_allocating_for_it()
    {
        var writer = new ProtocolWriter();
        writer.WriteByte((byte)MessageType.ApplyTx);
        writer.WriteU64(1);
        writer.WriteU32(uint.MaxValue);

        var error = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(writer.ToArray()));

        Assert.Equal(ErrorCode.Malformed, error.Code);
        Assert.Contains("does not fit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_login_in_another_protocol_version_is_decoded_only_up_to_the_version()
    {
        byte[] bytes = [(byte)MessageType.Login, 3, 0, 0xFF, 0xFE];

        var login = Assert.IsType<LoginMessage>(MessageCodec.Decode(bytes));

        Assert.Equal(3, login.ProtocolVersion);
        Assert.Empty(login.ClientId);
    }

    [Fact]
    public void The_login_layout_matches_the_documented_bytes()
    {
        var bytes = MessageCodec.Encode(new LoginMessage(1, [0xAA], CredentialType.None, [], Hash, RequestUpdatesMode.Auto, 0x0102));

        // type | version u16 | id len u8 | id | cred type | cred len u32 | hash[32] | mode | last position u64
        Assert.Equal(1 + 2 + 1 + 1 + 1 + 4 + 32 + 1 + 8, bytes.Length);
        Assert.Equal(new byte[] { 1, 1, 0, 1, 0xAA, 0, 0, 0, 0, 0 }, bytes[..10]);
        Assert.Equal(Hash, bytes[10..42]);
        Assert.Equal(new byte[] { 1, 2, 1, 0, 0, 0, 0, 0, 0 }, bytes[42..]);
    }

    [Fact]
    public void The_version_2_login_appends_the_documented_filter_variables()
    {
        var v1 = MessageCodec.Encode(new LoginMessage(1, [0xAA], CredentialType.None, [], Hash, RequestUpdatesMode.Auto, 0x0102));
        var v2 = MessageCodec.Encode(new LoginMessage(2, [0xAA], CredentialType.None, [], Hash, RequestUpdatesMode.Auto, 0x0102,
            [FilterVariable.Of("t", "ab"), FilterVariable.List("g", "x")]));

        // The same fields as version 1 (but the version), then: u16 count | per variable: u8 name length, name, u8 kind
        // (0 one value: string; 1 list: u16 n, n strings).
        Assert.Equal(v1[3..], v2[3..v1.Length]);
        Assert.Equal(new byte[] { 2, 0 }, v2[1..3]);
        Assert.Equal(
            new byte[] { 2, 0, 1, (byte)'t', 0, 2, 0, 0, 0, (byte)'a', (byte)'b', 1, (byte)'g', 1, 1, 0, 1, 0, 0, 0, (byte)'x' },
            v2[v1.Length..]);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0 }, "filter variable name")]                    // count 1, then the name is cut off
    [InlineData(new byte[] { 1, 0, 0, 0 }, "name must be 1 to 64 bytes")]        // an empty name
    [InlineData(new byte[] { 1, 0, 1, (byte)'a', 7 }, "unknown kind 7")]
    [InlineData(new byte[] { 2, 0, 1, (byte)'a', 0, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 0, 0, 0 }, "'a' is given twice")]
    [InlineData(new byte[] { 65, 0 }, "65 filter variables; at most 64")]
    public void Bad_filter_variables_are_refused_as_malformed_naming_the_problem(byte[] variables, string expected)
    {
        var v1 = MessageCodec.Encode(new LoginMessage(1, [0xAA], CredentialType.None, [], Hash, RequestUpdatesMode.Auto, 0));
        byte[] bytes = [.. v1[..1], 2, 0, .. v1[3..], .. variables];

        var error = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(bytes));

        Assert.Equal(ErrorCode.Malformed, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    // Records with arrays compare by reference: describe messages by their bytes and decoded operations instead.
    private static string Describe(SyncMessage message) => message switch
    {
        LoginMessage m => $"{m.ProtocolVersion} {Convert.ToHexString(m.ClientId)} {m.CredentialType} {Convert.ToHexString(m.Credentials)} {Convert.ToHexString(m.SchemaHash)} {m.Mode} {m.LastPosition} "
            + string.Join(";", m.Variables.Select(v => $"{v.Name}={(v.IsList ? "[" : "")}{string.Join(",", v.Values)}")),
        ApplyTxMessage m => $"{m.Tx.ClientTxId} {DescribeOps(m.Tx.Ops)}",
        TxsMessage m => $"{m.Historic} " + string.Join(" | ", m.Txs.Select(t => $"{t.Position} {t.CommittedUnixMs} {DescribeOps(t.DecodeOps())}")),
        FullSyncDataMessage m => DescribeOps(m.Ops),
        ChallengeMessage m => Convert.ToHexString(m.Nonce),
        _ => message.ToString(),
    };

    private static string DescribeOps(IReadOnlyList<SyncOp> ops) => string.Join(", ", ops.Select(op => op switch
    {
        PutOp put => $"PUT {put.EntityId} {put.ObjectId} {Convert.ToHexString(put.Data.Span)}",
        _ => op.ToString(),
    }));
}
