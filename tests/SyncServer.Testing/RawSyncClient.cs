using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Tests.Shared;

/// <summary>
/// A test client that speaks the sync protocol byte for byte with <see cref="MessageCodec"/> over a plain WebSocket: a
/// <see cref="ClientWebSocket"/> to a server's URL, or one end of a loopback TCP pair whose other end goes straight to the
/// engine's session host (<see cref="LoopbackAsync"/>, no HTTP). No SDK logic, so tests see exactly what the server
/// sends. A background loop decodes every received message into a queue; tests wait on it with timeouts, never sleeps.
/// As the benchmark's load client, the loop instead hands each whole received message, undecoded, to a
/// <see cref="MessageHandler"/> (<see cref="StartReceiving(MessageHandler, int, bool)"/>). One sender at a time: a
/// WebSocket allows one send in flight.
/// </summary>
internal sealed class RawSyncClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly WebSocket _socket;
    private readonly IDisposable[] _resources;
    private readonly Channel<SyncMessage> _received = Channel.CreateUnbounded<SyncMessage>();
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Description)> _closed =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private volatile bool _receiving;

    private RawSyncClient(WebSocket socket, bool receiving, WebSocket? serverSide = null, params IDisposable[] resources)
    {
        _socket = socket;
        ServerSide = serverSide;
        _resources = resources;
        if (receiving)
        {
            StartReceiving();
        }
    }

    /// <summary>For a <see cref="LoopbackAsync"/> client: the server's end, to hand to the engine's session host.</summary>
    public WebSocket? ServerSide { get; }

    /// <summary>A fresh random client ID (16 bytes, as the SDK makes one).</summary>
    public byte[] ClientId { get; set; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>The client number from the last successful LOGIN_RESULT (0 before).</summary>
    public uint ClientNumber { get; private set; }

    /// <summary>Completes when the receive loop ended (server closed, socket failed, or disposed).</summary>
    public Task Receiving => _receiveLoop;

    public static Task<RawSyncClient> ConnectAsync(int port) => ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"));

    /// <param name="certificateValidation">For wss://: how the server certificate is checked (null: the system's roots).</param>
    /// <param name="receiving">False: nothing is read until a StartReceiving (but <see cref="LoginAsync"/> reads its answer).</param>
    /// <param name="configure">More options for the upgrade request, e.g. a header (<c>X-Forwarded-For</c> of a proxy).</param>
    public static async Task<RawSyncClient> ConnectAsync(
        Uri url,
        System.Net.Security.RemoteCertificateValidationCallback? certificateValidation = null,
        bool receiving = true,
        Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.RemoteCertificateValidationCallback = certificateValidation;
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RawSyncClient(socket, receiving);
    }

    /// <summary>A WebSocket pair over a loopback TCP connection (no HTTP): this client, and its <see cref="ServerSide"/>.</summary>
    /// <param name="receiving">False: nothing is read until <see cref="StartReceiving()"/> (a client that stalls).</param>
    /// <param name="socketBufferBytes">The TCP send buffer of the server side and the receive buffer of this side, when
    /// set (small buffers make a stalled client back up into the server's send queue after a few messages).</param>
    public static async Task<RawSyncClient> LoopbackAsync(bool receiving = true, int? socketBufferBytes = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        if (socketBufferBytes is { } size)
        {
            client.ReceiveBufferSize = size;
        }

        var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync().WaitAsync(DefaultTimeout);
        await connecting.WaitAsync(DefaultTimeout);
        if (socketBufferBytes is { } sendSize)
        {
            server.SendBufferSize = sendSize;
        }

        var clientSocket = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { KeepAliveInterval = TimeSpan.Zero });
        var serverSocket = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        return new RawSyncClient(clientSocket, receiving, serverSocket, serverSocket, client, server);
    }

    /// <summary>Starts reading messages into the queue (done at connect unless told not to).</summary>
    public void StartReceiving() =>
        StartReceiving((message, _) => _received.Writer.TryWrite(MessageCodec.Decode(message)), 1024 * 1024);

    /// <summary>
    /// Starts reading messages and hands each, undecoded, to <paramref name="handler"/> on the loop's task (nothing goes
    /// into the queue). With <paramref name="bufferOnlyWhileReceiving"/> the loop waits with a zero-byte receive and
    /// rents its buffer only while a message arrives (for thousands of idle connections).
    /// </summary>
    public void StartReceiving(MessageHandler handler, int initialBufferBytes = 64 * 1024, bool bufferOnlyWhileReceiving = false)
    {
        _receiving = true;
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(handler, initialBufferBytes, bufferOnlyWhileReceiving));
    }

    /// <summary>HELLO, and the nonce of the server's CHALLENGE.</summary>
    public async Task<byte[]> HelloAsync()
    {
        await SendAsync(new HelloMessage());
        return (await ExpectAsync<ChallengeMessage>()).Nonce;
    }

    /// <summary>HELLO, then a shared-secret LOGIN proving <paramref name="secret"/> over the challenge.</summary>
    public async Task<LoginResultMessage> LoginWithSecretAsync(byte[] schemaHash, string secret, RequestUpdatesMode mode = RequestUpdatesMode.Auto)
    {
        var nonce = await HelloAsync();
        return await LoginAsync(schemaHash, mode, credentialType: CredentialType.SharedSecret, credentials: SharedSecretProof.Compute(secret, nonce, ClientId));
    }

    public Task SendAsync(SyncMessage message) => SendRawAsync(MessageCodec.Encode(message));

    /// <summary>Sends one whole encoded message (the benchmark's senders: no timeout of its own, no copy).</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct) =>
        _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, ct);

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>LOGIN and its LOGIN_RESULT: from the queue, or, before any receive loop runs, straight from the socket
    /// (a load client logs in and then hands every message to its handler).</summary>
    public async Task<LoginResultMessage> LoginAsync(
        byte[] schemaHash,
        RequestUpdatesMode mode = RequestUpdatesMode.Auto,
        ulong lastPosition = 0,
        CredentialType credentialType = CredentialType.None,
        ushort protocolVersion = MessageCodec.ProtocolVersion,
        byte[]? credentials = null,
        IReadOnlyList<FilterVariable>? filterVariables = null)
    {
        await SendAsync(new LoginMessage(protocolVersion, ClientId, credentialType, credentials ?? [], schemaHash, mode, lastPosition, filterVariables));
        var result = _receiving ? await ExpectAsync<LoginResultMessage>() : Expect<LoginResultMessage>(await ReceiveFromSocketAsync());
        if (result.Code == LoginResultCode.Ok)
        {
            ClientNumber = result.ClientNumber;
        }

        return result;
    }

    /// <summary>Logs in (AUTO) and reads the whole initial catch-up up to UPDATES_COMPLETE; returns what came before it.</summary>
    public async Task<(LoginResultMessage Result, List<SyncMessage> CatchUp, UpdatesCompleteMessage Complete)> LoginAndCatchUpAsync(
        byte[] schemaHash, ulong lastPosition = 0)
    {
        var result = await LoginAsync(schemaHash, RequestUpdatesMode.Auto, lastPosition);
        Assert.Equal(LoginResultCode.Ok, result.Code);
        var (catchUp, complete) = await ReceiveUntilAsync<UpdatesCompleteMessage>();
        return (result, catchUp, complete);
    }

    /// <summary>The next message, which must be a <typeparamref name="T"/>.</summary>
    public async Task<T> ExpectAsync<T>(TimeSpan? timeout = null)
        where T : SyncMessage
    {
        return Expect<T>(await ReceiveAsync(timeout));
    }

    /// <summary>Messages up to and including the first <typeparamref name="T"/>.</summary>
    public async Task<(List<SyncMessage> Before, T Found)> ReceiveUntilAsync<T>(TimeSpan? timeout = null)
        where T : SyncMessage
    {
        var before = new List<SyncMessage>();
        while (true)
        {
            var message = await ReceiveAsync(timeout);
            if (message is T found)
            {
                return (before, found);
            }

            before.Add(message);
        }
    }

    public async Task<SyncMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No message within {(timeout ?? DefaultTimeout).TotalSeconds} s");
        }
        catch (ChannelClosedException)
        {
            var (status, description) = await _closed.Task;
            throw new Xunit.Sdk.XunitException($"The server closed the connection ({status} {description}) instead of sending a message");
        }
    }

    /// <summary>Waits until the server closed the connection (after all queued messages were read) and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        var (status, _) = await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);
        return status;
    }

    /// <summary>Every message until the server closed the connection.</summary>
    public async Task<List<SyncMessage>> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var messages = new List<SyncMessage>();
        await foreach (var message in _received.Reader.ReadAllAsync(cts.Token))
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>The close handshake, started by this side.</summary>
    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
    }

    /// <summary>The close handshake, started by this side while the receive loop runs: sends the close frame and waits
    /// until the loop has read the server's (CloseAsync would read concurrently with the loop).</summary>
    public async Task<WebSocketCloseStatus?> CloseOutputAndWaitAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        return await WaitForCloseAsync();
    }

    /// <summary>Drops the connection without a close handshake.</summary>
    public void Abort() => _socket.Abort();

    /// <summary>Sends HEARTBEAT and returns every message that arrived before the answer: a marker in the stream.</summary>
    public async Task<List<SyncMessage>> RoundTripAsync()
    {
        await SendAsync(new HeartbeatMessage(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        var (before, _) = await ReceiveUntilAsync<HeartbeatMessage>();
        return before;
    }

    /// <summary>Closes (a loopback client is dropped: no HTTP host closes its TCP connection, which a client-side close
    /// handshake would wait a second for), stops the receive loop and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        if (ServerSide is null && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        _socket.Abort();
        await _receiveLoop;
        _socket.Dispose();
        foreach (var resource in _resources)
        {
            resource.Dispose();
        }
    }

    public static string Describe(SyncMessage message) => message switch
    {
        ErrorMessage error => $"ERROR {error.Code} (TX {error.ClientTxId}): {error.Text}",
        LoginResultMessage result => $"LOGIN_RESULT {result.Code}: {result.Text}",
        _ => message.ToString(),
    };

    private static T Expect<T>(SyncMessage message)
        where T : SyncMessage =>
        message as T ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name}, got {Describe(message)}");

    private async Task<SyncMessage> ReceiveFromSocketAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        var buffer = new byte[4096];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            result = await _socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new Xunit.Sdk.XunitException(
                    $"The server closed the connection ({_socket.CloseStatus} {_socket.CloseStatusDescription}) instead of sending a message");
            }

            length += result.Count;
        }
        while (!result.EndOfMessage);

        return MessageCodec.Decode(buffer.AsSpan(0, length));
    }

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
                        _closed.TrySetResult((_socket.CloseStatus, _socket.CloseStatusDescription));
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
                        _closed.TrySetResult((_socket.CloseStatus, _socket.CloseStatusDescription));
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                handler(buffer.AsSpan(0, length), UnixClock.NowUnixNs());
                if (bufferOnlyWhileReceiving)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException or ProtocolException)
        {
            _closed.TrySetResult((null, e.Message));
        }
        finally
        {
            _received.Writer.TryComplete();
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
