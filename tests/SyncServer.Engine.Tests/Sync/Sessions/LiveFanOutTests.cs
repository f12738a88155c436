using Microsoft.Extensions.DependencyInjection;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Sync.Sessions;
using SyncServer.Engine.Sync;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Sync.Sessions;

/// <summary>
/// Live TXs to up-to-date subscribers go through the one <see cref="LiveFanOut"/> task: every TX reaches every subscriber
/// once and in position order, whether the fan-out or the session's own updates loop sends it, also when a client stalls
/// (it is handed back to its own loop) or cancels its subscription. Real sessions over loopback WebSockets.
/// </summary>
public sealed class LiveFanOutTests : IAsyncLifetime, IDisposable
{
    private const int SendQueueCapacity = 2;
    private readonly TempDirectory _temp = new();
    private readonly List<Task> _running = [];
    private SessionEngine _host = null!;
    private ulong _serverTxId;

    private SyncEngine Engine => _host.Engine;

    private SyncSessionHost Sessions => _host.Sessions;

    private Core.Model.ObjectBoxModel Model => Engine.Schema.Current!.Model;

    public Task InitializeAsync()
    {
        _host = SessionEngine.Start(
            new SyncEngineOptions { DataDirectory = _temp.Combine("data"), ModelFile = TestPaths.ExampleModel, UnsecuredNoAuthentication = true },
            services => services.AddOptions<SyncOptions>().Configure(o => o.SendQueueCapacity = SendQueueCapacity));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Every_up_to_date_subscriber_gets_every_live_TX_once_in_order_and_never_its_own()
    {
        var subscribers = new List<(RawSyncClient Client, uint Number)>();
        for (var i = 0; i < 5; i++)
        {
            subscribers.Add(await SubscribeAsync());
        }

        await UntilFanOutServesAsync(5);

        // Server TXs in concurrent bursts (the writer commits several per batch, so the fan-out reads multi-TX batches),
        // interleaved with TXs of subscriber 0.
        var (writer, writerNumber) = subscribers[0];
        var ownPositions = new List<ulong>();
        for (var burst = 0; burst < 10; burst++)
        {
            await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => SubmitServerTxAsync()));
            var clientTxId = (ulong)burst + 1;
            await writer.SendAsync(new ApplyTxMessage(new ClientTx(clientTxId, [Put(Model, "Tag", ((ulong)writerNumber << 40) | clientTxId)])));
        }

        // The subscriber's TXs are applied once the writer took them; every one is in the log before the reads start.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await Engine.Services.Feed.WaitForNewAsync(309, timeout.Token);
        }

        Assert.Equal(310ul, Engine.Services.Feed.Head);
        foreach (var (client, number) in subscribers)
        {
            var others = new List<SyncMessage>();
            var messages = await ReceiveTxsAsync(client, count: number == writerNumber ? 300 : 310, others);
            Assert.All(messages, m => Assert.False(m.Historic));
            var positions = Positions(messages);
            if (number == writerNumber)
            {
                // The ACKs carry the positions of its own TXs: the ones it must not get back.
                await client.SendAsync(new HeartbeatMessage(0));
                others.AddRange((await client.ReceiveUntilAsync<HeartbeatMessage>()).Before);
                ownPositions.AddRange(others.OfType<AckTxMessage>().Select(a => a.Position));
                Assert.Equal(Enumerable.Range(1, 310).Select(p => (ulong)p).Except(ownPositions), positions);
            }
            else
            {
                Assert.Equal(Enumerable.Range(1, 310).Select(p => (ulong)p), positions);
            }
        }

        Assert.Equal(10, ownPositions.Distinct().Count(p => p > 0));
        // The four that only read end parked with the fan-out. The writer's session may not: a batch past its push limit
        // (ACK before later pushes) hands it back to its own updates loop, which parks again only after the next TX.
        await UntilFanOutServesAsync(4, orMore: true);
    }

    [Fact]
    public async Task A_stalled_subscriber_is_handed_back_to_its_own_loop_and_still_gets_every_TX_once_in_order()
    {
        var (healthy, _) = await SubscribeAsync();
        await using var stalled = await RawSyncClient.LoopbackAsync(receiving: false, socketBufferBytes: 4096);
        _running.Add(Sessions.RunAsync(stalled.ServerSide!, "203.0.113.2:1", CancellationToken.None));
        await stalled.SendAsync(Login([2], RequestUpdatesMode.Auto));
        await UntilFanOutServesAsync(2);

        // 64 KB TXs fill the stalled client's socket and then its send queue (2): the fan-out hands it back, keeps serving
        // the healthy one, and the writer never waits for the stalled client.
        var name = new string('x', 64 * 1024);
        for (var i = 0; i < 20; i++)
        {
            await SubmitServerTxAsync(("name", name));
        }

        await UntilFanOutServesAsync(1);
        Assert.Equal(Enumerable.Range(1, 20).Select(p => (ulong)p), Positions(await ReceiveTxsAsync(healthy, 20)));

        stalled.StartReceiving();
        Assert.Equal(LoginResultCode.Ok, (await stalled.ExpectAsync<LoginResultMessage>()).Code);
        await stalled.ReceiveUntilAsync<UpdatesCompleteMessage>();
        Assert.Equal(Enumerable.Range(1, 20).Select(p => (ulong)p), Positions(await ReceiveTxsAsync(stalled, 20)));

        // Caught up again, it goes back to the fan-out.
        await UntilFanOutServesAsync(2);
        await SubmitServerTxAsync();
        Assert.Equal([21ul], Positions(await ReceiveTxsAsync(stalled, 1)));
        Assert.Equal([21ul], Positions(await ReceiveTxsAsync(healthy, 1)));
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_does_not_hold_up_closing_its_session()
    {
        await using var stalled = await RawSyncClient.LoopbackAsync(receiving: false, socketBufferBytes: 4096);
        var session = Sessions.RunAsync(stalled.ServerSide!, "203.0.113.3:1", CancellationToken.None);
        await stalled.SendAsync(Login([3], RequestUpdatesMode.Auto));
        await UntilFanOutServesAsync(1);
        var name = new string('x', 64 * 1024);
        for (var i = 0; i < 10; i++)
        {
            await SubmitServerTxAsync(("name", name)); // the first direct write stays in flight: the socket is full
        }

        await UntilFanOutServesAsync(0);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await Sessions.CloseAllAsync(timeout.Token);
        }

        // Ends (the close handshake times out and the connection is dropped) instead of waiting for the client forever.
        await session.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(session.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CANCEL_UPDATES_takes_a_subscriber_out_of_the_fan_out_and_REQUEST_UPDATES_brings_it_back()
    {
        var (phone, _) = await SubscribeAsync();
        await UntilFanOutServesAsync(1);

        await phone.SendAsync(new CancelUpdatesMessage());
        await UntilFanOutServesAsync(0);
        await SubmitServerTxAsync();
        await phone.SendAsync(new HeartbeatMessage(0));
        Assert.DoesNotContain((await phone.ReceiveUntilAsync<HeartbeatMessage>()).Before, m => m is TxsMessage);

        // Subscribing again: the missed TX as catch-up, UPDATES_COMPLETE, then live TXs from the fan-out.
        await phone.SendAsync(new RequestUpdatesMessage(Subscribe: true));
        var catchUp = await phone.ExpectAsync<TxsMessage>();
        Assert.Equal((true, 1ul), (catchUp.Historic, catchUp.Txs.Single().Position));
        Assert.Equal(1ul, (await phone.ExpectAsync<UpdatesCompleteMessage>()).Position);
        await UntilFanOutServesAsync(1);
        await SubmitServerTxAsync();
        var live = await phone.ExpectAsync<TxsMessage>();
        Assert.Equal((false, 2ul), (live.Historic, live.Txs.Single().Position));
    }

    [Fact]
    public async Task A_subscriber_that_disconnects_leaves_the_fan_out_and_the_others_are_still_served()
    {
        var (staying, _) = await SubscribeAsync();
        var leaving = await SubscribeAsync();
        await UntilFanOutServesAsync(2);

        await leaving.Client.CloseAsync();
        await leaving.Client.DisposeAsync();
        await UntilFanOutServesAsync(1);
        await SubmitServerTxAsync();

        Assert.Equal([1ul], Positions(await ReceiveTxsAsync(staying, 1)));
    }

    [Fact]
    public async Task A_subscriber_whose_connection_drops_while_TXs_go_out_ends_and_the_others_get_every_TX()
    {
        var (staying, _) = await SubscribeAsync();
        await using var dropping = await RawSyncClient.LoopbackAsync();
        var session = Sessions.RunAsync(dropping.ServerSide!, "203.0.113.4:1", CancellationToken.None);
        await dropping.SendAsync(Login([4], RequestUpdatesMode.Auto));
        await dropping.ReceiveUntilAsync<UpdatesCompleteMessage>();
        await UntilFanOutServesAsync(2);

        // No close handshake, and TXs right away: the fan-out writes to a socket that is going or gone.
        dropping.Abort();
        for (var i = 0; i < 20; i++)
        {
            await SubmitServerTxAsync();
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(p => (ulong)p), Positions(await ReceiveTxsAsync(staying, 20)));
        await session.WaitAsync(TimeSpan.FromSeconds(20));
        await UntilFanOutServesAsync(1);
    }

    private LoginMessage Login(byte[] clientId, RequestUpdatesMode mode) =>
        new(MessageCodec.ProtocolVersion, clientId, CredentialType.None, [], Convert.FromHexString(Model.Hash), mode, 0);

    private static List<ulong> Positions(List<TxsMessage> messages) => [.. messages.SelectMany(m => m.Txs).Select(t => t.Position)];

    /// <summary>A client logged in with AUTO that has finished its (empty) catch-up.</summary>
    private async Task<(RawSyncClient Client, uint Number)> SubscribeAsync()
    {
        var client = await RawSyncClient.LoopbackAsync();
        _running.Add(Sessions.RunAsync(client.ServerSide!, "203.0.113.1:1", CancellationToken.None));
        await client.SendAsync(Login(Guid.NewGuid().ToByteArray(), RequestUpdatesMode.Auto));
        var result = await client.ExpectAsync<LoginResultMessage>();
        Assert.Equal(LoginResultCode.Ok, result.Code);
        await client.ReceiveUntilAsync<UpdatesCompleteMessage>();
        return (client, result.ClientNumber);
    }

    private async Task SubmitServerTxAsync(params (string Name, object? Value)[] values)
    {
        var id = Interlocked.Increment(ref _serverTxId);
        var outcome = await Engine.Services.Writer.SubmitAsync(new TxSubmission(0, new ClientTx(id, [Put(Model, "Tag", id, values)]), Model), CancellationToken.None);
        Assert.Equal(TxStatus.Applied, outcome.Status);
    }

    /// <summary>TXS messages until they hold <paramref name="count"/> TXs; other messages go to <paramref name="others"/>.</summary>
    private static async Task<List<TxsMessage>> ReceiveTxsAsync(RawSyncClient client, int count, List<SyncMessage>? others = null)
    {
        var messages = new List<TxsMessage>();
        var received = 0;
        while (received < count)
        {
            var (before, txs) = await client.ReceiveUntilAsync<TxsMessage>();
            others?.AddRange(before);
            messages.Add(txs);
            received += txs.Txs.Count;
        }

        Assert.Equal(count, received);
        return messages;
    }

    private async Task UntilFanOutServesAsync(int sessions, bool orMore = false)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (orMore ? Sessions.FanOutSessionCount < sessions : Sessions.FanOutSessionCount != sessions)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The fan-out serves {Sessions.FanOutSessionCount} sessions, not {sessions}");
            }

            await Task.Delay(5);
        }
    }
}
