using System.Collections.Concurrent;
using System.Net.WebSockets;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Engine.Tests.Sync.Sessions;

/// <summary>
/// The <see cref="SessionOutbox"/> alone, over a real loopback WebSocket pair: what reaches the client, byte for byte and
/// in which order, when queued and direct writes mix, when a direct write stays in flight or fails, and when the outbox
/// closes meanwhile.
/// </summary>
public sealed class SessionOutboxTests : IAsyncLifetime
{
    private static readonly byte[] Big = Encode(new ErrorMessage(ErrorCode.Internal, 99, new string('x', 1024 * 1024)));
    private readonly ConcurrentQueue<int> _sent = new();
    private readonly TaskCompletionSource<Exception> _broken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IAsyncDisposable> _clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Queued_and_direct_writes_reach_the_socket_in_the_order_they_were_accepted()
    {
        var (client, outbox) = await OpenAsync();

        // The send loop is not running yet: what is queued stays queued, and a direct write must not overtake it.
        Assert.True(await outbox.QueueAsync(Marker(1), CancellationToken.None));
        Assert.False(outbox.TryWriteNow(Marker(2)));
        Assert.True(outbox.TryDeliver(Marker(2))); // queued behind 1
        Assert.Empty(_sent);
        var running = outbox.RunAsync();
        await ExpectAsync(client, Marker(1), Marker(2));

        // Idle again: a direct write goes out at once (once the send loop let go of the socket), queued ones follow.
        await UntilAsync(() => outbox.TryWriteNow(Marker(3)));
        Assert.True(await outbox.QueueAsync(Marker(4), CancellationToken.None));
        Assert.True(outbox.TryDeliver(Marker(5)));
        await ExpectAsync(client, Marker(3), Marker(4), Marker(5));

        await UntilAsync(() => _sent.Count == 5);
        Assert.Equal(Enumerable.Repeat(Marker(1).Length, 5), _sent);
        Assert.False(running.IsCompleted);
        Assert.False(_broken.Task.IsCompleted);
    }

    [Fact]
    public async Task A_direct_write_the_socket_cannot_take_at_once_stays_ahead_of_everything_accepted_after_it()
    {
        var (client, outbox) = await OpenAsync(stalled: true);
        _ = outbox.RunAsync();

        Assert.True(outbox.TryWriteNow(Big));
        Assert.Empty(_sent); // still in flight: the client reads nothing
        Assert.True(await outbox.QueueAsync(Marker(1), CancellationToken.None));
        Assert.False(outbox.TryWriteNow(Marker(2))); // the socket is busy
        Assert.True(outbox.TryDeliver(Marker(2)));

        client.StartReceiving();
        await ExpectAsync(client, Big, Marker(1), Marker(2));
        await UntilAsync(() => _sent.Count == 3);
        Assert.Equal([Big.Length, Marker(1).Length, Marker(2).Length], _sent);
    }

    [Fact]
    public async Task A_direct_write_that_fails_at_once_is_queued_and_the_send_loop_writes_it_in_its_place()
    {
        var (client, outbox, socket) = await OpenFlakyAsync();
        _ = outbox.RunAsync();

        socket.FailNextSend = true;
        Assert.False(outbox.TryWriteNow(Marker(1))); // failed: nothing written
        Assert.False(socket.FailNextSend);
        socket.FailNextSend = true;
        Assert.True(outbox.TryDeliver(Marker(1))); // failed the same way, then queued
        Assert.True(await outbox.QueueAsync(Marker(2), CancellationToken.None));

        await ExpectAsync(client, Marker(1), Marker(2));
        Assert.False(_broken.Task.IsCompleted);
    }

    [Fact]
    public async Task A_direct_write_to_a_broken_socket_goes_to_the_send_loop_which_reports_the_broken_connection()
    {
        var (_, outbox, socket) = await OpenFlakyAsync();
        var running = outbox.RunAsync();
        socket.Abort();

        Assert.True(outbox.TryDeliver(Marker(1)));
        Assert.IsAssignableFrom<WebSocketException>(await _broken.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Closing_while_a_direct_write_is_in_flight_sends_the_final_message_and_the_close_frame_after_it()
    {
        var (client, outbox) = await OpenAsync(stalled: true);
        var running = outbox.RunAsync();
        Assert.True(outbox.TryWriteNow(Big));
        Assert.True(await outbox.QueueAsync(Marker(1), CancellationToken.None)); // still queued at the close: dropped

        var final = Encode(new ErrorMessage(ErrorCode.Malformed, 0, "bad"));
        outbox.Close(WebSocketCloseStatus.PolicyViolation, "Malformed", final);
        Assert.True(outbox.IsClosing);
        Assert.False(outbox.TryWriteNow(Marker(2)));
        Assert.False(outbox.TryDeliver(Marker(2)));
        Assert.False(await outbox.QueueAsync(Marker(2), CancellationToken.None));

        client.StartReceiving(); // before the close timeout (10 s): the direct write finishes, then the handshake runs
        var received = await client.ReadToEndAsync();
        Assert.Equal([Big, final], received.Select(Encode));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitForCloseAsync());
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "Malformed"), (outbox.CloseStatus, outbox.CloseDescription));
        Assert.Equal([Big.Length, final.Length], _sent);
        Assert.False(_broken.Task.IsCompleted);
    }

    [Fact]
    public async Task Closing_while_a_direct_write_stays_in_flight_drops_the_connection_after_the_close_timeout()
    {
        var (_, outbox, socket) = await OpenFlakyAsync(stalled: true, closeTimeout: TimeSpan.FromMilliseconds(300));
        var running = outbox.RunAsync();
        Assert.True(outbox.TryWriteNow(Big));

        outbox.Close(WebSocketCloseStatus.NormalClosure, "");
        await running.WaitAsync(TimeSpan.FromSeconds(10)); // the client never reads: the handshake gives up
        Assert.Equal(WebSocketState.Aborted, socket.State);
        Assert.Empty(_sent);
        Assert.False(_broken.Task.IsCompleted); // failing while closing is no broken connection
    }

    [Fact]
    public async Task The_queue_holds_at_most_its_byte_budget_unless_empty_and_a_waiting_queue_resumes_as_the_socket_takes_messages()
    {
        var (client, outbox) = await OpenAsync(stalled: true, maxBytes: Big.Length + 100);
        var running = outbox.RunAsync();
        Assert.True(outbox.TryWriteNow(Big)); // in flight: the client reads nothing
        Assert.True(await outbox.QueueAsync(Big, CancellationToken.None)); // alone in the queue: allowed
        Assert.Equal(Big.Length, outbox.QueuedBytes);

        Assert.False(outbox.TryDeliver(Big)); // over the budget: the fan-out must hand back
        var waiting = outbox.QueueAsync(Big, CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        client.StartReceiving();
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await ExpectAsync(client, Big, Big, Big);
        Assert.Equal(0, outbox.QueuedBytes);
        Assert.False(running.IsCompleted);
    }

    [Fact]
    public async Task A_waiting_queue_write_returns_false_when_the_outbox_closes()
    {
        var (_, outbox) = await OpenAsync(stalled: true, maxBytes: Big.Length);
        Assert.True(await outbox.QueueAsync(Big, CancellationToken.None)); // the send loop is not running
        var waiting = outbox.QueueAsync(Marker(1), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        outbox.Close(WebSocketCloseStatus.NormalClosure, "");

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_write_the_client_does_not_take_shows_as_stalled_until_it_completes()
    {
        var (client, outbox) = await OpenAsync(stalled: true);
        _ = outbox.RunAsync();
        Assert.Equal(TimeSpan.Zero, outbox.WriteStalledFor(TimeProvider.System.GetTimestamp()));

        Assert.True(await outbox.QueueAsync(Big, CancellationToken.None));
        await UntilAsync(() => outbox.WriteStalledFor(TimeProvider.System.GetTimestamp()) > TimeSpan.Zero);
        await Task.Delay(300);
        Assert.True(outbox.WriteStalledFor(TimeProvider.System.GetTimestamp()) >= TimeSpan.FromMilliseconds(250));

        client.StartReceiving();
        await ExpectAsync(client, Big);
        await UntilAsync(() => outbox.WriteStalledFor(TimeProvider.System.GetTimestamp()) == TimeSpan.Zero);
    }

    [Fact]
    public async Task Close_keeps_the_first_status_and_cuts_a_long_description_to_what_a_close_frame_holds()
    {
        var (_, outbox) = await OpenAsync();
        outbox.Close(WebSocketCloseStatus.InternalServerError, new string('é', 200));
        outbox.Close(WebSocketCloseStatus.NormalClosure, "later");

        Assert.Equal(WebSocketCloseStatus.InternalServerError, outbox.CloseStatus);
        Assert.Equal(new string('é', 30), outbox.CloseDescription);
    }

    private static byte[] Marker(long n) => Encode(new HeartbeatMessage(n));

    private static byte[] Encode(SyncMessage message) => MessageCodec.Encode(message);

    private static async Task ExpectAsync(RawSyncClient client, params byte[][] messages)
    {
        foreach (var expected in messages)
        {
            Assert.Equal(expected, Encode(await client.ReceiveAsync()));
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold within 10 s");
            }

            await Task.Delay(5);
        }
    }

    /// <param name="stalled">The client reads nothing until told to, over small socket buffers: a 1 MB write stays in flight.</param>
    /// <param name="maxBytes">The queue's byte budget (default: far more than any test queues).</param>
    private async Task<(RawSyncClient Client, SessionOutbox Outbox)> OpenAsync(bool stalled = false, int maxBytes = 64 * 1024 * 1024)
    {
        var (client, outbox, _) = await OpenFlakyAsync(stalled, maxBytes: maxBytes);
        return (client, outbox);
    }

    private async Task<(RawSyncClient Client, SessionOutbox Outbox, FlakyWebSocket Socket)> OpenFlakyAsync(
        bool stalled = false, TimeSpan? closeTimeout = null, int maxBytes = 64 * 1024 * 1024)
    {
        var client = await RawSyncClient.LoopbackAsync(receiving: !stalled, socketBufferBytes: stalled ? 4096 : null);
        _clients.Add(client);
        var socket = new FlakyWebSocket(client.ServerSide!);
        var outbox = new SessionOutbox(
            socket, capacity: 8, maxBytes, closeTimeout ?? TimeSpan.FromSeconds(10), TimeProvider.System, _sent.Enqueue, e => _broken.TrySetResult(e));
        return (client, outbox, socket);
    }

    /// <summary>The server's end of the pair, whose next write can be made to fail at once, as a broken socket's does.</summary>
    private sealed class FlakyWebSocket(WebSocket inner) : WebSocket
    {
        public bool FailNextSend { get; set; }

        public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

        public override string? CloseStatusDescription => inner.CloseStatusDescription;

        public override WebSocketState State => inner.State;

        public override string? SubProtocol => inner.SubProtocol;

        public override void Abort() => inner.Abort();

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(buffer, cancellationToken);

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

        public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            if (FailNextSend)
            {
                FailNextSend = false;
                return ValueTask.FromException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));
            }

            return inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);
        }

        public override void Dispose() => inner.Dispose();
    }
}
