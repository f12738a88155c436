using Microsoft.Extensions.Logging.Abstractions;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Sync;
using SyncServer.Engine.Sync.Sessions;
using SyncServer.Engine.Tests.Stats;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Sync;

public sealed class SyncEngineSyncServicesTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestMeterFactory _meters = new();

    public void Dispose()
    {
        _meters.Dispose();
        _temp.Dispose();
    }

    private SyncEngine NewEngine(SyncEngineOptions options) => new(
        options,
        new SyncOptions(),
        [new UnsecuredAuthenticator()],
        new SyncStatistics(_meters, TimeProvider.System, NullLoggerFactory.Instance),
        new LogLevelSwitch(),
        NullLoggerFactory.Instance,
        TimeProvider.System);

    [Fact]
    public void The_started_engine_offers_the_sync_services_and_stop_applies_queued_transactions_before_closing()
    {
        var options = new SyncEngineOptions
        {
            DataDirectory = _temp.Combine("data"),
            ModelFile = TestPaths.ExampleModel,
            UnsecuredNoAuthentication = true,
        };
        using var engine = NewEngine(options);
        engine.Start();
        var model = engine.Schema.Current!.Model;
        var client = engine.Services.Clients.Login("phone"u8).Number;
        var queued = Enumerable.Range(1, 20)
            .Select(i => engine.Services.Writer.SubmitAsync(new TxSubmission(client, new ClientTx((ulong)i, [Put(model, "Tag", (ulong)i)]), model), CancellationToken.None))
            .ToList();

        engine.Stop();

        Assert.All(queued, t => Assert.Equal(TxStatus.Applied, t.Result.Status));
        using var reopened = NewEngine(options);
        reopened.Start();
        Assert.Equal(20ul, reopened.Services.Feed.Head);
        using (var snapshot = reopened.Services.Snapshots.Open(model))
        {
            Assert.Equal(20, snapshot.Batches.Sum(b => b.Count));
        }

        Assert.Equal(1u, reopened.Services.Clients.Login("phone"u8).Number);
    }
}
