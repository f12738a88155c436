using Microsoft.Extensions.DependencyInjection;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Sync.Sessions;
using SyncServer.Engine.Sync;
using SyncServer.Engine.Tests.Sync.Sessions;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Stats;

/// <summary>
/// Sessions feeding the statistics: the engine as <c>AddSyncEngine</c> wires it, with real sessions over a loopback
/// WebSocket (no HTTP), so the per-client view can be checked against exactly what the client did.
/// </summary>
public sealed class SessionStatisticsTests : IAsyncLifetime, IDisposable
{
    private const string RemoteAddress = "203.0.113.7:5555";
    private readonly TempDirectory _temp = new();
    private SessionEngine _host = null!;
    private SyncStatistics _stats = null!;

    private SyncEngine Engine => _host.Engine;

    private SyncSessionHost Sessions => _host.Sessions;

    private Core.Model.ObjectBoxModel Model => Engine.Schema.Current!.Model;

    public Task InitializeAsync()
    {
        _host = SessionEngine.Start(
            new SyncEngineOptions { DataDirectory = _temp.Combine("data"), ModelFile = TestPaths.ExampleModel, UnsecuredNoAuthentication = true });
        _stats = _host.Provider.GetRequiredService<SyncStatistics>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>After <see cref="DisposeAsync"/> (xunit calls both): the engine has released the directory.</summary>
    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_engine_hands_its_statistics_to_writer_and_sessions()
    {
        Assert.Same(_stats, Engine.Statistics);

        await Engine.Services.Writer.SubmitAsync(new TxSubmission(0, new ClientTx(1, [Put(Model, "Tag", 1)]), Model), CancellationToken.None);

        Assert.Equal(1, _stats.Current[StatNames.TxsAppliedLocal]);
        Assert.Equal(1, _stats.Current[StatNames.TxLogEntries]);
        Assert.Equal(Engine.Services.Writer.TxLogBytes, _stats.Current[StatNames.TxLogSize]);
        Assert.Equal(Engine.Services.Storage.SizeBytes, _stats.Current[StatNames.DatabaseSize]);
    }

    [Fact]
    public async Task A_client_is_listed_from_login_to_disconnect_with_its_address_traffic_position_and_lag()
    {
        await using var phone = await RawSyncClient.LoopbackAsync();
        var session = Sessions.RunAsync(phone.ServerSide!, RemoteAddress, CancellationToken.None);
        var login = new LoginMessage(MessageCodec.ProtocolVersion, [0xCA, 0xFE, 0x01], CredentialType.None, [], SchemaHash, RequestUpdatesMode.Auto, 0);
        await phone.SendAsync(login);
        var result = await phone.ExpectAsync<LoginResultMessage>();
        var (catchUp, _) = await phone.ReceiveUntilAsync<UpdatesCompleteMessage>(); // a full sync of the empty database

        var listed = await UntilAsync(c => c.MessagesOut == 2 + catchUp.Count); // LOGIN_RESULT, the full sync, UPDATES_COMPLETE
        Assert.Equal(("CAFE01", result.ClientNumber, RemoteAddress, 1), (listed.ClientId, listed.ClientNumber, listed.RemoteAddress, listed.SchemaVersion));
        Assert.Equal((0ul, 0ul, 1L, (long)MessageCodec.Encode(login).Length), (listed.Position, listed.TxsBehind, listed.MessagesIn, listed.BytesIn));
        Assert.True(listed.BytesOut > 0);
        Assert.Null(listed.LastError);
        Assert.Equal((1L, 1L, 1L), (_stats.Current[StatNames.ClientsConnected], _stats.Current[StatNames.ClientsConnects], _stats.Current[StatNames.FullSyncs]));

        // A TX of the server itself reaches the phone live; until the phone confirms it, the phone is 1 behind.
        await Engine.Services.Writer.SubmitAsync(new TxSubmission(0, new ClientTx(1, [Put(Model, "Tag", 1)]), Model), CancellationToken.None);
        var live = await phone.ExpectAsync<TxsMessage>();
        Assert.False(live.Historic);
        listed = await UntilAsync(c => c.SentPosition == 1);
        Assert.Equal((0ul, 1ul), (listed.Position, listed.TxsBehind));
        Assert.Equal((1L, 1L), (_stats.Current[StatNames.ClientsTxsBehindMax], _stats.Current[StatNames.ClientsTxsBehindSum]));

        await phone.SendAsync(new TxsAppliedMessage(1));
        await phone.RoundTripAsync();
        listed = Assert.Single(_stats.Clients);
        Assert.Equal((1ul, 0ul), (listed.Position, listed.TxsBehind));

        // The phone's own TX is never sent back: once it is skipped, the phone counts as having it.
        var own = ((ulong)result.ClientNumber << 40) | 1;
        await phone.SendAsync(new ApplyTxMessage(new ClientTx(1, [Put(Model, "Tag", own)])));
        Assert.Equal(2ul, (await phone.ExpectAsync<AckTxMessage>()).Position);
        listed = await UntilAsync(c => c.Position == 2);
        Assert.Equal(0ul, listed.TxsBehind);

        var now = _stats.Current;
        Assert.Equal((1L, 1L, 1L, 0L), (now[StatNames.TxsAppliedClient], now[StatNames.TxsAppliedLocal], now[StatNames.TxsSentLive], now[StatNames.TxsSentHistoric]));
        Assert.Equal(listed.MessagesIn, now[StatNames.MessagesIn]);
        Assert.Equal(listed.BytesIn, now[StatNames.MessageBytesIn]);

        await phone.CloseAsync();
        await session.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(_stats.Clients);
        Assert.Equal(0, _stats.Current[StatNames.ClientsConnected]);
        Assert.Equal(0, _stats.Current[StatNames.FailuresDisconnected]);
    }

    [Fact]
    public async Task A_protocol_error_is_counted_and_shown_as_the_clients_last_error_when_it_comes_back()
    {
        byte[] clientId = [0x42];
        ErrorMessage error;
        await using (var phone = await RawSyncClient.LoopbackAsync())
        {
            var session = Sessions.RunAsync(phone.ServerSide!, RemoteAddress, CancellationToken.None);
            await phone.SendAsync(new LoginMessage(MessageCodec.ProtocolVersion, clientId, CredentialType.None, [], SchemaHash, RequestUpdatesMode.Manual, 0));
            await phone.ExpectAsync<LoginResultMessage>();
            await phone.SendAsync(new ApplyTxMessage(new ClientTx(7, [new PutOp(99, 1, new byte[8])])));
            error = await phone.ExpectAsync<ErrorMessage>();
            await phone.DisposeAsync();
            await session.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal((1L, 0L), (_stats.Current[StatNames.ErrorsProtocol], _stats.Current[StatNames.ErrorsHandler]));
        Assert.Empty(_stats.Clients);

        await using var back = await RawSyncClient.LoopbackAsync();
        var again = Sessions.RunAsync(back.ServerSide!, RemoteAddress, CancellationToken.None);
        await back.SendAsync(new LoginMessage(MessageCodec.ProtocolVersion, clientId, CredentialType.None, [], SchemaHash, RequestUpdatesMode.Manual, 0));
        await back.ExpectAsync<LoginResultMessage>();

        var listed = Assert.Single(_stats.Clients);
        Assert.Contains($"ERROR {error.Code} (TX 7)", listed.LastError, StringComparison.Ordinal);

        // Dropping the connection without a close handshake is a failure of kind "disconnected".
        back.Abort();
        await again.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, _stats.Current[StatNames.FailuresDisconnected]);
    }

    [Fact]
    public async Task A_refused_login_is_a_login_failure_and_the_client_is_never_listed()
    {
        await using var phone = await RawSyncClient.LoopbackAsync();
        var session = Sessions.RunAsync(phone.ServerSide!, RemoteAddress, CancellationToken.None);

        await phone.SendAsync(new LoginMessage(MessageCodec.ProtocolVersion, [1], CredentialType.None, [], new byte[32], RequestUpdatesMode.Auto, 0));

        Assert.Equal(LoginResultCode.UnsupportedDataModel, (await phone.ExpectAsync<LoginResultMessage>()).Code);
        await phone.CloseAsync();
        await session.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((1L, 0L, 0L), (_stats.Current[StatNames.FailuresLogin], _stats.Current[StatNames.ClientsConnects], _stats.Current[StatNames.FailuresDisconnected]));
        Assert.Empty(_stats.Clients);
    }

    private byte[] SchemaHash => Convert.FromHexString(Model.Hash);

    /// <summary>The single listed client once <paramref name="condition"/> holds (poll with timeout: the session updates
    /// its counters right after the socket write, which may be just after the client read the message).</summary>
    private async Task<ClientStats> UntilAsync(Func<ClientStats, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var clients = _stats.Clients;
            if (clients.Count == 1 && condition(clients[0]))
            {
                return clients[0];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Client statistics never matched: {string.Join("; ", clients)}");
            }

            await Task.Delay(10);
        }
    }
}
