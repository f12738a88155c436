using System.Buffers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Infrastructure;

/// <summary>Handles one whole received message; <paramref name="receivedUnixNs"/> is when its last byte arrived.</summary>
internal delegate void MessageHandler(ReadOnlySpan<byte> message, long receivedUnixNs);

/// <summary>
/// A load-generating client speaking the protocol with <see cref="MessageCodec"/> over a plain <see cref="ClientWebSocket"/>:
/// no local store, so the measurement is the server's. One sender at a time (a WebSocket allows one send in flight); the
/// receive loop hands each whole message to a handler on its own task.
/// </summary>
internal sealed class RawClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private Task _receiving = Task.CompletedTask;

    private RawClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>16 random bytes, as the SDK makes one.</summary>
    public byte[] ClientId { get; } = RandomNumberGenerator.GetBytes(16);

    public uint ClientNumber { get; private set; }

    public ulong HeadAtLogin { get; private set; }

    /// <summary>Completes when the receive loop ended (server closed, socket failed, or disposed).</summary>
    public Task Receiving => _receiving;

    /// <summary>Why the receive loop ended, if it did.</summary>
    public string? EndReason { get; private set; }

    public static async Task<RawClient> ConnectAsync(Uri url, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the protocol has its own heartbeat
        try
        {
            await socket.ConnectAsync(url, ct);
            return new RawClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>LOGIN and its LOGIN_RESULT (before the receive loop starts); throws unless the result is OK.</summary>
    public async Task<LoginResultMessage> LoginAsync(RequestUpdatesMode mode, CancellationToken ct, ulong lastPosition = 0)
    {
        await SendAsync(MessageCodec.Encode(new LoginMessage(
            MessageCodec.ProtocolVersion, ClientId, CredentialType.None, [], BenchModel.SchemaHash, mode, lastPosition)), ct);
        var buffer = new byte[4096];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(length), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"server closed the connection at login: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            length += result.Count;
        }
        while (!result.EndOfMessage && length < buffer.Length);

        var message = MessageCodec.Decode(buffer.AsSpan(0, length));
        if (message is not LoginResultMessage { Code: LoginResultCode.Ok } login)
        {
            throw new InvalidOperationException($"login failed: {message}");
        }

        ClientNumber = login.ClientNumber;
        HeadAtLogin = login.HeadPosition;
        return login;
    }

    /// <summary>Sends one whole message. Not thread-safe: one sender per client.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct) =>
        _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, ct);

    /// <summary>
    /// Starts the receive loop. With <paramref name="bufferOnlyWhileReceiving"/> it waits with a zero-byte receive and rents
    /// its buffer only while a message arrives (for thousands of idle connections).
    /// </summary>
    public void StartReceiving(MessageHandler handler, int initialBufferBytes = 64 * 1024, bool bufferOnlyWhileReceiving = false) =>
        _receiving = Task.Run(() => ReceiveLoopAsync(handler, initialBufferBytes, bufferOnlyWhileReceiving));

    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                await _receiving.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
            {
            }
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
    }

    /// <summary>Drops the connection without a close handshake.</summary>
    public void Abort() => _socket.Abort();

    private async Task ReceiveLoopAsync(MessageHandler handler, int initialBufferBytes, bool bufferOnlyWhileReceiving)
    {
        var buffer = bufferOnlyWhileReceiving ? null : ArrayPool<byte>.Shared.Rent(initialBufferBytes);
        try
        {
            while (true)
            {
                if (bufferOnlyWhileReceiving)
                {
                    var wait = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                    if (wait.MessageType == WebSocketMessageType.Close)
                    {
                        EndReason = $"closed by the server: {_socket.CloseStatus} {_socket.CloseStatusDescription}";
                        return;
                    }

                    buffer = ArrayPool<byte>.Shared.Rent(initialBufferBytes);
                }

                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer!.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        EndReason = $"closed by the server: {_socket.CloseStatus} {_socket.CloseStatusDescription}";
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                handler(buffer.AsSpan(0, length), BenchClock.NowUnixNs());
                if (bufferOnlyWhileReceiving)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            EndReason ??= e.Message;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
