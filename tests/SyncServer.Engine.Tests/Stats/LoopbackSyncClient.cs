using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Engine.Tests.Stats;

/// <summary>
/// A WebSocket pair over a loopback TCP connection (no HTTP): <see cref="ServerSocket"/> goes to the engine's
/// <c>SyncSessionHost</c>, this side speaks <see cref="MessageCodec"/>. Received messages are queued; waits time out.
/// </summary>
internal sealed class LoopbackSyncClient : IAsyncDisposable
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(15);
    private readonly TcpClient _tcpClient;
    private readonly TcpClient _tcpServer;
    private readonly WebSocket _socket;
    private readonly Channel<SyncMessage> _received = Channel.CreateUnbounded<SyncMessage>();
    private Task _receiveLoop = Task.CompletedTask;

    private LoopbackSyncClient(TcpClient tcpClient, TcpClient tcpServer)
    {
        _tcpClient = tcpClient;
        _tcpServer = tcpServer;
        var options = new WebSocketCreationOptions { KeepAliveInterval = TimeSpan.Zero };
        _socket = WebSocket.CreateFromStream(tcpClient.GetStream(), options);
        ServerSocket = WebSocket.CreateFromStream(tcpServer.GetStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
    }

    public WebSocket ServerSocket { get; }

    /// <param name="receiving">False: nothing is read until <see cref="StartReceiving"/> (a client that stalls).</param>
    /// <param name="socketBufferBytes">The TCP send buffer of the server side and receive buffer of this side, when set
    /// (small buffers make a stalled client back up into the server's send queue after a few messages).</param>
    public static async Task<LoopbackSyncClient> ConnectAsync(bool receiving = true, int? socketBufferBytes = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        if (socketBufferBytes is { } size)
        {
            client.ReceiveBufferSize = size;
        }

        var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync().WaitAsync(_timeout);
        await connecting.WaitAsync(_timeout);
        if (socketBufferBytes is { } sendSize)
        {
            server.SendBufferSize = sendSize;
        }

        var connection = new LoopbackSyncClient(client, server);
        if (receiving)
        {
            connection.StartReceiving();
        }

        return connection;
    }

    /// <summary>Starts reading messages (done by <see cref="ConnectAsync"/> unless it was told not to).</summary>
    public void StartReceiving() => _receiveLoop = Task.Run(ReceiveLoopAsync);

    public async Task SendAsync(SyncMessage message)
    {
        using var cts = new CancellationTokenSource(_timeout);
        await _socket.SendAsync(MessageCodec.Encode(message), WebSocketMessageType.Binary, endOfMessage: true, cts.Token);
    }

    public async Task<T> ExpectAsync<T>()
        where T : SyncMessage
    {
        using var cts = new CancellationTokenSource(_timeout);
        var message = await _received.Reader.ReadAsync(cts.Token);
        return message as T ?? throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name}, got {message}");
    }

    /// <summary>Messages up to and including the first <typeparamref name="T"/>.</summary>
    public async Task<List<SyncMessage>> ReceiveUntilAsync<T>()
        where T : SyncMessage
    {
        var messages = new List<SyncMessage>();
        using var cts = new CancellationTokenSource(_timeout);
        while (true)
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            messages.Add(message);
            if (message is T)
            {
                return messages;
            }
        }
    }

    /// <summary>Every message until the server closed the connection.</summary>
    public async Task<List<SyncMessage>> ReadToEndAsync()
    {
        using var cts = new CancellationTokenSource(_timeout);
        var messages = new List<SyncMessage>();
        await foreach (var message in _received.Reader.ReadAllAsync(cts.Token))
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>HEARTBEAT round trip: everything sent before it has been handled by the session.</summary>
    public async Task RoundTripAsync()
    {
        await SendAsync(new HeartbeatMessage(0));
        await ReceiveUntilAsync<HeartbeatMessage>();
    }

    public async Task CloseAsync()
    {
        using var cts = new CancellationTokenSource(_timeout);
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receiveLoop;
        _socket.Dispose();
        ServerSocket.Dispose();
        _tcpClient.Dispose();
        _tcpServer.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                _received.Writer.TryWrite(MessageCodec.Decode(buffer.AsSpan(0, length)));
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The connection ended.
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }
}
