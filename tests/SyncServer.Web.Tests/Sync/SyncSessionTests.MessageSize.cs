using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Web.Tests.Sync;

/// <summary>The message size limit: checked from the WebSocket frame header, before the payload is buffered.</summary>
public sealed partial class SyncSessionTests
{
    [Fact]
    public async Task A_frame_header_declaring_more_than_the_limit_gets_ERROR_MessageTooLarge_before_the_payload_is_sent()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Server.SyncPort);
        var stream = tcp.GetStream();
        await UpgradeAsync(stream);

        // One binary frame that declares limit + 1 bytes, of which only the first 9 (APPLY_TX, client TX ID 7) are sent.
        var header = new byte[14];
        header[0] = 0x82;
        header[1] = 0x80 | 127;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), SyncServerFixture.MaxMessageBytes + 1UL);
        // mask key 0: the payload goes as it is
        byte[] start = [(byte)MessageType.ApplyTx, 7, 0, 0, 0, 0, 0, 0, 0];
        await stream.WriteAsync(header);
        await stream.WriteAsync(start);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (opcode, payload) = await ReadFrameAsync(stream, timeout.Token);
        Assert.Equal(2, opcode);
        var error = Assert.IsType<ErrorMessage>(MessageCodec.Decode(payload));
        Assert.Equal((ErrorCode.MessageTooLarge, 7ul), (error.Code, error.ClientTxId));
        Assert.Contains($"limit of {SyncServerFixture.MaxMessageBytes} bytes", error.Text, StringComparison.Ordinal);
        var (closeOpcode, close) = await ReadFrameAsync(stream, timeout.Token);
        Assert.Equal(8, closeOpcode);
        Assert.Equal((ushort)WebSocketCloseStatus.PolicyViolation, BinaryPrimitives.ReadUInt16BigEndian(close));
    }

    [Fact]
    public async Task A_message_of_exactly_the_limit_is_read_and_decoded()
    {
        await using var client = await server.ConnectAsync();
        var message = new byte[SyncServerFixture.MaxMessageBytes];
        message[0] = (byte)MessageType.Heartbeat;

        await client.SendRawAsync(message);
        var error = await client.ExpectAsync<ErrorMessage>();

        Assert.Equal(ErrorCode.Malformed, error.Code); // too long for a HEARTBEAT, but not too large
        Assert.Contains("unexpected bytes after the end", error.Text, StringComparison.Ordinal);
    }

    private static async Task UpgradeAsync(NetworkStream stream)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var response = new List<byte>();
        var one = new byte[1];
        while (response.Count < 4 || !response[^4..].SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            Assert.Equal(1, await stream.ReadAsync(one));
            response.Add(one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString([.. response]), StringComparison.Ordinal);
    }

    /// <summary>One unmasked server frame: its opcode and payload.</summary>
    private static async Task<(int Opcode, byte[] Payload)> ReadFrameAsync(NetworkStream stream, CancellationToken ct)
    {
        var head = new byte[2];
        await stream.ReadExactlyAsync(head, ct);
        long length = head[1] & 0x7F;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            await stream.ReadExactlyAsync(extended, ct);
            length = extended.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(extended) : (long)BinaryPrimitives.ReadUInt64BigEndian(extended);
        }

        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, ct);
        return (head[0] & 0x0F, payload);
    }
}
