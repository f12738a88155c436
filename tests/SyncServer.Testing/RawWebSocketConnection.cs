using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Tests.Shared;

/// <summary>
/// A WebSocket spoken byte by byte over a plain TCP connection, for what a well-behaved client library never sends:
/// a frame header that declares more payload than follows, a message that never ends, a reader that never reads.
/// Client frames are masked with the zero key, so payload bytes go as they are.
/// </summary>
internal sealed class RawWebSocketConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private RawWebSocketConnection(TcpClient tcp, NetworkStream stream)
    {
        _tcp = tcp;
        Stream = stream;
    }

    public NetworkStream Stream { get; }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> and completes the upgrade (asserts 101).</summary>
    /// <param name="receiveBufferBytes">The socket's receive buffer, when a test wants the kernel to take little of
    /// what the server writes before the server's writes stall.</param>
    public static async Task<RawWebSocketConnection> ConnectAsync(int port, int? receiveBufferBytes = null)
    {
        var tcp = new TcpClient();
        if (receiveBufferBytes is { } bytes)
        {
            tcp.ReceiveBufferSize = bytes;
        }

        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var connection = new RawWebSocketConnection(tcp, tcp.GetStream());
        var status = await connection.UpgradeAsync();
        Assert.StartsWith("HTTP/1.1 101", status, StringComparison.Ordinal);
        return connection;
    }

    /// <summary>Connects and sends the upgrade request; returns the response's status line (e.g. a refusal's 503).</summary>
    public static async Task<string> TryUpgradeAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var connection = new RawWebSocketConnection(tcp, tcp.GetStream());
        return await connection.UpgradeAsync();
    }

    /// <summary>Writes one client frame header: FIN and <paramref name="opcode"/> (2 binary, 0 continuation), the
    /// declared <paramref name="payloadLength"/>, the zero mask key. The payload is the caller's to write.</summary>
    public async Task WriteFrameHeaderAsync(int opcode, long payloadLength, bool fin = true)
    {
        var header = new byte[14];
        header[0] = (byte)((fin ? 0x80 : 0) | opcode);
        header[1] = 0x80 | 127;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)payloadLength);
        await Stream.WriteAsync(header);
    }

    /// <summary>Writes <paramref name="bytes"/> raw; a connection the server has already dropped (it refused what came
    /// before) is ignored, so the caller can read what the server said.</summary>
    public async Task TryWriteAsync(byte[] bytes)
    {
        try
        {
            await Stream.WriteAsync(bytes);
        }
        catch (IOException)
        {
            // Dropped by the server.
        }
    }

    /// <summary>One whole binary message in one frame.</summary>
    public async Task WriteMessageAsync(byte[] payload)
    {
        await WriteFrameHeaderAsync(2, payload.Length);
        await Stream.WriteAsync(payload);
    }

    /// <summary>The client ID <see cref="LoginAsync"/> logs in with.</summary>
    public byte[] ClientId { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>LOGIN (by default mode MANUAL: nothing is pushed unasked); returns the LOGIN_RESULT.</summary>
    public async Task<LoginResultMessage> LoginAsync(byte[] schemaHash, CancellationToken ct, RequestUpdatesMode mode = RequestUpdatesMode.Manual)
    {
        await WriteMessageAsync(MessageCodec.Encode(new LoginMessage(
            MessageCodec.ProtocolVersion, ClientId, CredentialType.None, [], schemaHash, mode, 0)));
        var (_, payload) = await ReadFrameAsync(ct);
        return Assert.IsType<LoginResultMessage>(MessageCodec.Decode(payload));
    }

    /// <summary>One unmasked server frame: its opcode and payload.</summary>
    public async Task<(int Opcode, byte[] Payload)> ReadFrameAsync(CancellationToken ct)
    {
        var head = new byte[2];
        await Stream.ReadExactlyAsync(head, ct);
        long length = head[1] & 0x7F;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            await Stream.ReadExactlyAsync(extended, ct);
            length = extended.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(extended) : (long)BinaryPrimitives.ReadUInt64BigEndian(extended);
        }

        var payload = new byte[length];
        await Stream.ReadExactlyAsync(payload, ct);
        return (head[0] & 0x0F, payload);
    }

    /// <summary>Reads until the server closes the TCP connection (or <paramref name="ct"/> fires); the frames read.</summary>
    public async Task<List<(int Opcode, byte[] Payload)>> ReadUntilClosedAsync(CancellationToken ct)
    {
        var frames = new List<(int, byte[])>();
        try
        {
            while (true)
            {
                frames.Add(await ReadFrameAsync(ct));
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return frames;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string> UpgradeAsync()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var response = new List<byte>();
        var one = new byte[1];
        while (response.Count < 4 || !response[^4..].SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            if (await Stream.ReadAsync(one) == 0)
            {
                break;
            }

            response.Add(one[0]);
        }

        var text = Encoding.ASCII.GetString([.. response]);
        return text.Split("\r\n")[0];
    }
}
