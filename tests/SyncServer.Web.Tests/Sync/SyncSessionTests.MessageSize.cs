using System.Buffers.Binary;
using System.Net.WebSockets;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Web.Tests.Sync;

/// <summary>The message size limit: checked from the WebSocket frame header, before the payload is buffered.</summary>
public sealed partial class SyncSessionTests
{
    [Fact]
    public async Task A_frame_header_declaring_more_than_the_limit_gets_ERROR_MessageTooLarge_before_the_payload_is_sent()
    {
        await using var connection = await RawWebSocketConnection.ConnectAsync(server.Server.SyncPort);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(LoginResultCode.Ok, (await connection.LoginAsync(server.SchemaHash, timeout.Token)).Code);

        // One binary frame that declares limit + 1 bytes, of which only the first 9 (APPLY_TX, client TX ID 7) are sent.
        await connection.WriteFrameHeaderAsync(2, SyncServerFixture.MaxMessageBytes + 1L);
        await connection.Stream.WriteAsync(new byte[] { (byte)MessageType.ApplyTx, 7, 0, 0, 0, 0, 0, 0, 0 });

        var (opcode, payload) = await connection.ReadFrameAsync(timeout.Token);
        Assert.Equal(2, opcode);
        var error = Assert.IsType<ErrorMessage>(MessageCodec.Decode(payload));
        Assert.Equal((ErrorCode.MessageTooLarge, 7ul), (error.Code, error.ClientTxId));
        Assert.Contains($"limit of {SyncServerFixture.MaxMessageBytes} bytes", error.Text, StringComparison.Ordinal);
        var (closeOpcode, close) = await connection.ReadFrameAsync(timeout.Token);
        Assert.Equal(8, closeOpcode);
        Assert.Equal((ushort)WebSocketCloseStatus.PolicyViolation, BinaryPrimitives.ReadUInt16BigEndian(close));
    }

    [Fact]
    public async Task A_message_of_exactly_the_limit_is_read_and_decoded()
    {
        await using var client = await server.ConnectAndLoginAsync();
        var message = new byte[SyncServerFixture.MaxMessageBytes];
        message[0] = (byte)MessageType.Heartbeat;

        await client.SendRawAsync(message);
        var error = await client.ExpectAsync<ErrorMessage>();

        Assert.Equal(ErrorCode.Malformed, error.Code); // too long for a HEARTBEAT, but not too large
        Assert.Contains("unexpected bytes after the end", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_login_a_message_over_the_login_limit_is_refused_from_its_frame_header()
    {
        await using var connection = await RawWebSocketConnection.ConnectAsync(server.Server.SyncPort);

        // 64 KiB + 1 declared (the default limit before login), 9 bytes sent: refused without waiting for the rest.
        await connection.WriteFrameHeaderAsync(2, (64 * 1024) + 1);
        await connection.Stream.WriteAsync(new byte[] { (byte)MessageType.Login, 1, 0, 0, 0, 0, 0, 0, 0 });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (_, payload) = await connection.ReadFrameAsync(timeout.Token);
        var error = Assert.IsType<ErrorMessage>(MessageCodec.Decode(payload));
        Assert.Equal((ErrorCode.MessageTooLarge, 0ul), (error.Code, error.ClientTxId));
        Assert.Contains("limit of 65536 bytes before login", error.Text, StringComparison.Ordinal);
    }
}
