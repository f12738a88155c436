using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using SyncServer.Core.Protocol;

namespace SyncServer.Client.Tests.Infrastructure;

/// <summary>
/// A scripted stand-in for the server on a loopback port (HttpListener WebSockets): each accepted connection is handed
/// to the test as a <see cref="FakeSession"/> that receives and sends protocol messages. For testing the client's
/// session logic message by message; the end-to-end tests use the real server.
/// </summary>
internal sealed class FakeSyncServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<FakeSession> _sessions = Channel.CreateUnbounded<FakeSession>();
    private readonly List<FakeSession> _all = [];
    private readonly Task _accept;

    public FakeSyncServer()
    {
        var port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Url = new Uri($"ws://127.0.0.1:{port}/");
        _accept = Task.Run(AcceptLoopAsync);
    }

    public Uri Url { get; }

    /// <summary>The next connection a client made.</summary>
    public async Task<FakeSession> NextSessionAsync() => await _sessions.Reader.ReadAsync().AsTask().WaitAsync(Wait.DefaultTimeout);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _accept;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }

        foreach (var session in _all)
        {
            session.Abort();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (!context.Request.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                context.Response.Close();
                continue;
            }

            var socket = (await context.AcceptWebSocketAsync(null)).WebSocket;
            var session = new FakeSession(socket);
            _all.Add(session);
            await _sessions.Writer.WriteAsync(session);
        }
    }
}

/// <summary>One client connection to the <see cref="FakeSyncServer"/>.</summary>
internal sealed class FakeSession(WebSocket socket)
{
    public async Task<SyncMessage> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Wait.DefaultTimeout);
        var buffer = new byte[1 << 20];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("the client closed the connection");
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return MessageCodec.Decode(buffer.AsSpan(0, length));
            }
        }
    }

    /// <summary>The next message of type <typeparamref name="T"/>, skipping heartbeats.</summary>
    public async Task<T> ReceiveAsync<T>() where T : SyncMessage
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (message is T expected)
            {
                return expected;
            }

            if (message is not Core.Protocol.Messages.HeartbeatMessage)
            {
                throw new InvalidOperationException($"expected {typeof(T).Name}, got {message}");
            }
        }
    }

    /// <summary>Waits for the client's end of the connection, skipping heartbeats: the close status of its close frame, or
    /// null when it dropped the connection without one.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        using var timeout = new CancellationTokenSource(Wait.DefaultTimeout);
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return result.CloseStatus;
                }

                if (result.EndOfMessage && MessageCodec.Decode(buffer.AsSpan(0, result.Count)) is var message
                    && message is not Core.Protocol.Messages.HeartbeatMessage)
                {
                    throw new InvalidOperationException($"expected the connection to end, got {message}");
                }
            }
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    public Task SendAsync(SyncMessage message) =>
        socket.SendAsync(MessageCodec.Encode(message), WebSocketMessageType.Binary, true, CancellationToken.None);

    public async Task CloseAsync()
    {
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
    }

    public void Abort() => socket.Abort();
}
