using System.Net.WebSockets;
using SyncServer.Core.Model;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Web.Tests.Sync;

/// <summary>How sessions end: heartbeat timeout and server shutdown. Each test runs its own server.</summary>
public sealed class SyncSessionLifetimeTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly byte[] _schemaHash = Convert.FromHexString(ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel)).Hash);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_client_silent_for_the_heartbeat_timeout_gets_ERROR_HeartbeatTimeout_and_is_closed()
    {
        await using var server = await ServerProcess.StartAndWaitAsync(
            _dir.Path,
            new Dictionary<string, string> { ["Sync__HeartbeatTimeout"] = "00:00:02" },
            "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");
        await using var silent = await RawSyncClient.ConnectAsync(server.SyncPort);
        Assert.Equal(LoginResultCode.Ok, (await silent.LoginAsync(_schemaHash, RequestUpdatesMode.Manual)).Code);

        var started = DateTimeOffset.UtcNow;
        var error = await silent.ExpectAsync<ErrorMessage>(TimeSpan.FromSeconds(20));

        Assert.Equal(ErrorCode.HeartbeatTimeout, error.Code);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(1), "not before the timeout");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await silent.WaitForCloseAsync());
        // The same client ID can log in again at once, and heartbeats are answered.
        await using var back = await RawSyncClient.ConnectAsync(server.SyncPort);
        back.ClientId = silent.ClientId;
        Assert.Equal(LoginResultCode.Ok, (await back.LoginAsync(_schemaHash, RequestUpdatesMode.Manual)).Code);
        await back.SendAsync(new HeartbeatMessage(0));
        await back.ExpectAsync<HeartbeatMessage>();
    }

    [Fact]
    public async Task Shutdown_closes_sessions_with_1001_commits_what_was_acked_and_exits_0()
    {
        await using (var server = await ServerProcess.StartAndWaitAsync(_dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication"))
        {
            await using var client = await RawSyncClient.ConnectAsync(server.SyncPort);
            var (login, _, _) = await client.LoginAndCatchUpAsync(_schemaHash);
            var id = ((ulong)login.ClientNumber << 40) | 1;
            var project = ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel)).FindEntity(1)!;
            var data = Core.Objects.ObjectCodec.Encode(project, new Dictionary<uint, object?> { [1] = id, [2] = "survives" });
            await client.SendAsync(new ApplyTxMessage(new ClientTx(1, [new PutOp(1, id, data)])));
            var ack = await client.ExpectAsync<AckTxMessage>();

            Assert.Equal(0, await server.StopAsync());
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.WaitForCloseAsync());
            Assert.Contains(server.Output, line => line.EndsWith("[INFO ] [SySvAp] Sync server stopped", StringComparison.Ordinal));
            Assert.Equal(1ul, ack.Position);
        }

        // The ACKed TX survived the restart: a new client's full sync has it.
        await using var restarted = await ServerProcess.StartAndWaitAsync(_dir.Path, "--unsecured-no-authentication");
        await using var fresh = await RawSyncClient.ConnectAsync(restarted.SyncPort);
        var (result, catchUp, complete) = await fresh.LoginAndCatchUpAsync(_schemaHash);
        Assert.Equal(1ul, result.HeadPosition);
        Assert.Equal(1ul, complete.Position);
        Assert.Single(catchUp.OfType<FullSyncDataMessage>().SelectMany(m => m.Ops).OfType<PutOp>());
    }
}
