using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Web.Tests.Sync;

/// <summary>
/// What a remote peer can make the server hold, and for how long (docs/protocol.md, "Limits"): the limit and the
/// deadline before login, the connection cap, the server-wide receive budget, the send timeout for a client that stops
/// reading, and shutdown with such clients. Each test runs its own server process and speaks raw WebSocket frames where
/// a well-behaved client library would not.
/// </summary>
public sealed class HostilePeerTests : IDisposable
{
    private static readonly ObjectBoxModel Model = ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel));
    private readonly TempDirectory _dir = new();
    private readonly byte[] _schemaHash = Convert.FromHexString(Model.Hash);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_partial_message_trickled_before_login_does_not_hold_off_the_heartbeat_timeout()
    {
        await using var server = await StartAsync(("HeartbeatTimeout", "00:00:02"));
        await using var connection = await RawWebSocketConnection.ConnectAsync(server.SyncPort);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // A frame of 1,000 bytes, one byte every 200 ms: before the fix each byte counted as "heard from the client".
        await connection.WriteFrameHeaderAsync(2, 1000);
        var read = connection.ReadFrameAsync(timeout.Token);
        for (var i = 0; i < 60 && !read.IsCompleted; i++)
        {
            await connection.TryWriteAsync(new byte[1]);
            await Task.WhenAny(read, Task.Delay(200));
        }

        var error = Assert.IsType<ErrorMessage>(MessageCodec.Decode((await read).Payload));
        Assert.Equal(ErrorCode.HeartbeatTimeout, error.Code);
    }

    [Fact]
    public async Task Heartbeats_before_login_do_not_extend_the_login_deadline()
    {
        await using var server = await StartAsync(("LoginTimeout", "00:00:02"));
        await using var client = await RawSyncClient.ConnectAsync(server.SyncPort);
        using var stop = new CancellationTokenSource();
        var beating = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await client.SendAsync(new HeartbeatMessage(0));
                }
                catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
                {
                    return;
                }

                await Task.Delay(300, CancellationToken.None);
            }
        });

        var started = Stopwatch.StartNew();
        var (before, error) = await client.ReceiveUntilAsync<ErrorMessage>(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await beating;

        Assert.Equal(ErrorCode.LoginTimeout, error.Code);
        Assert.Contains("no successful LOGIN within", error.Text, StringComparison.Ordinal);
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(1.5), $"not before the deadline ({started.Elapsed})");
        Assert.NotEmpty(before);
        Assert.All(before, m => Assert.IsType<HeartbeatMessage>(m)); // every heartbeat was answered meanwhile
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task Connections_beyond_maxConnections_get_503_before_the_upgrade_and_a_freed_slot_is_taken_again()
    {
        await using var server = await StartAsync(("MaxConnections", "2"));
        await using var first = await RawSyncClient.ConnectAsync(server.SyncPort);
        await using var second = await RawSyncClient.ConnectAsync(server.SyncPort);

        Assert.Equal("HTTP/1.1 503 Service Unavailable", await RawWebSocketConnection.TryUpgradeAsync(server.SyncPort));
        await server.WaitForLineAsync(new Regex("refused: 2 sync connections are open \\(maxConnections 2\\)"));

        await first.CloseAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string status;
        while ((status = await RawWebSocketConnection.TryUpgradeAsync(server.SyncPort)) != "HTTP/1.1 101 Switching Protocols" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal("HTTP/1.1 101 Switching Protocols", status);
    }

    [Fact]
    public async Task A_message_beyond_the_servers_receive_budget_gets_ERROR_ServerBusy_without_rejecting_a_TX()
    {
        await using var server = await StartAsync(("MaxReceiveBufferBytes", "1048576"));
        await using var connection = await RawWebSocketConnection.ConnectAsync(server.SyncPort);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal(LoginResultCode.Ok, (await connection.LoginAsync(_schemaHash, timeout.Token)).Code);

        // An APPLY_TX of 2 MiB (under the 32 MiB message limit), sent in 64 KiB pieces: the buffer for it would need
        // more than the whole 1 MiB budget.
        await connection.WriteFrameHeaderAsync(2, 2 * 1024 * 1024);
        var read = connection.ReadFrameAsync(timeout.Token);
        var piece = new byte[64 * 1024];
        piece[0] = (byte)MessageType.ApplyTx;
        piece[1] = 9;
        for (var sent = 0; sent < 2 * 1024 * 1024 && !read.IsCompleted; sent += piece.Length)
        {
            await connection.TryWriteAsync(piece);
            piece = new byte[piece.Length];
        }

        var error = Assert.IsType<ErrorMessage>(MessageCodec.Decode((await read).Payload));
        Assert.Equal((ErrorCode.ServerBusy, 0ul), (error.Code, error.ClientTxId));
    }

    [Fact]
    public async Task Connections_that_declare_huge_messages_before_login_pin_no_memory()
    {
        await using var server = await StartAsync();
        await using (var warmUp = await RawWebSocketConnection.ConnectAsync(server.SyncPort))
        {
            await warmUp.WriteMessageAsync(MessageCodec.Encode(new HeartbeatMessage(0)));
        }

        var idle = ProcessMemory.ReadRssBytes(server.ProcessId);
        var connections = new List<RawWebSocketConnection>();
        var errors = new List<Task<(int Opcode, byte[] Payload)>>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            // 20 connections, none logged in, each declaring a 32 MiB frame (the session limit) and sending 4 MiB of it.
            for (var i = 0; i < 20; i++)
            {
                var connection = await RawWebSocketConnection.ConnectAsync(server.SyncPort);
                connections.Add(connection);
                await connection.WriteFrameHeaderAsync(2, 32 * 1024 * 1024);
                errors.Add(connection.ReadFrameAsync(timeout.Token));
                await connection.TryWriteAsync(new byte[4 * 1024 * 1024]);
            }

            var grown = ProcessMemory.ReadRssBytes(server.ProcessId) - idle;

            foreach (var frame in errors)
            {
                var error = Assert.IsType<ErrorMessage>(MessageCodec.Decode((await frame).Payload));
                Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
            }

            Assert.True(grown < 25 * 1024 * 1024, $"RSS grew by {grown / (1024 * 1024)} MB for 20 connections that never logged in");
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_after_the_send_timeout_and_catches_up_when_it_returns()
    {
        await using var server = await StartAsync(("SendTimeout", "00:00:02"), ("SendQueueMaxBytes", "65536"));
        await using var reader = await RawWebSocketConnection.ConnectAsync(server.SyncPort, receiveBufferBytes: 4096);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal(LoginResultCode.Ok, (await reader.LoginAsync(_schemaHash, timeout.Token, RequestUpdatesMode.Auto)).Code);
        // From here on the reader reads nothing.

        await using var writer = await RawSyncClient.ConnectAsync(server.SyncPort);
        var (login, _, _) = await writer.LoginAndCatchUpAsync(_schemaHash);
        const int Txs = 100;
        await SendBigTxsAsync(writer, login.ClientNumber, Txs);

        var dropped = await server.WaitForLineAsync(new Regex("dropped: the client accepted nothing for \\d+ s \\(send timeout 2 s"), TimeSpan.FromSeconds(30));
        Assert.Contains("[DEBUG]", dropped, StringComparison.Ordinal);

        // Back with the same client ID: its login is accepted (the ID was released) and a catch-up brings everything.
        await using var back = await RawSyncClient.ConnectAsync(server.SyncPort);
        back.ClientId = reader.ClientId;
        var (result, catchUp, complete) = await back.LoginAndCatchUpAsync(_schemaHash);
        Assert.Equal(LoginResultCode.Ok, result.Code);
        Assert.Equal((ulong)Txs, complete.Position);
        Assert.Equal(Txs, catchUp.OfType<FullSyncDataMessage>().SelectMany(m => m.Ops).OfType<PutOp>().Count());
    }

    [Fact]
    public async Task Shutdown_with_clients_that_stopped_reading_ends_within_the_close_timeout()
    {
        await using var server = await StartAsync(("CloseTimeout", "00:00:01"), ("SendTimeout", "01:00:00"));
        await using (var writer = await RawSyncClient.ConnectAsync(server.SyncPort))
        {
            var (login, _, _) = await writer.LoginAndCatchUpAsync(_schemaHash);
            await SendBigTxsAsync(writer, login.ClientNumber, 100);
        }

        // Three clients whose full sync (10 MB each) they never read: their sessions block in a socket write.
        var readers = new List<RawWebSocketConnection>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var reader = await RawWebSocketConnection.ConnectAsync(server.SyncPort, receiveBufferBytes: 4096);
                readers.Add(reader);
                var result = await reader.LoginAsync(_schemaHash, timeout.Token, RequestUpdatesMode.Auto);
                await server.WaitForLineAsync(new Regex($"Full sync for client {result.ClientNumber} .* from snapshot"));
            }

            var stopping = Stopwatch.StartNew();
            Assert.Equal(0, await server.StopAsync());
            stopping.Stop();

            // CloseTimeout (1 s) for the sessions, then the writer's drain and the process's exit; 30 s before the fix.
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(6), $"shutdown took {stopping.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }

    private Task<ServerProcess> StartAsync(params (string Key, string Value)[] settings) =>
        ServerProcess.StartAndWaitAsync(
            _dir.Path,
            settings.ToDictionary(s => "Sync__" + s.Key, s => s.Value),
            "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--log-level", "debug");

    /// <summary><paramref name="count"/> TXs of one Project with a 100 KB name each, all ACKed.</summary>
    private static async Task SendBigTxsAsync(RawSyncClient writer, uint clientNumber, int count)
    {
        var project = Model.FindEntity(1)!;
        var name = new string('x', 100 * 1024);
        for (var i = 1; i <= count; i++)
        {
            var id = ((ulong)clientNumber << 40) | (uint)i;
            var data = ObjectCodec.Encode(project, new Dictionary<uint, object?> { [1] = id, [2] = name });
            await writer.SendAsync(new ApplyTxMessage(new ClientTx((ulong)i, [new PutOp(1, id, data)])));
        }

        for (var i = 1; i <= count; i++)
        {
            Assert.Equal((ulong)i, (await writer.ExpectAsync<AckTxMessage>()).ClientTxId);
        }
    }
}
