using Microsoft.Extensions.Logging.Abstractions;
using SyncServer.Core.Model;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Sync.Sessions;
using SyncServer.Engine.Tests.Stats;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Engine.Tests.Schema;

/// <summary>The schema version chosen while the server runs (the admin UI) is the one the next start with --model keeps.</summary>
public sealed class SchemaAtStartTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestMeterFactory _meters = new();

    public void Dispose()
    {
        _meters.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void A_version_uploaded_and_made_current_stays_current_after_a_restart_with_the_first_model()
    {
        using (var first = Start(TestPaths.ExampleModel))
        {
            first.Schema.AddAndSwitch(ChangedModelJson(), "upload.json"); // what a confirmed upload in the admin UI does
        }

        using var restarted = Start(TestPaths.ExampleModel);

        Assert.Equal(2, restarted.Schema.Current!.Version.Id);
        Assert.Equal(2, restarted.Schema.List().Count);
    }

    [Fact]
    public void An_earlier_version_made_current_stays_current_after_a_restart_with_the_newer_model()
    {
        var changed = _temp.Combine("changed.json");
        var json = ChangedModelJson();
        File.WriteAllText(changed, json);
        using (var first = Start(TestPaths.ExampleModel))
        {
            first.Schema.AddAndSwitch(json, "changed.json");
            first.Schema.SwitchTo(1); // "Make current" on version 1 in the admin UI
        }

        using var restarted = Start(changed);

        Assert.Equal(1, restarted.Schema.Current!.Version.Id);
    }

    [Fact]
    public void A_model_never_seen_is_added_and_becomes_current_at_start()
    {
        var changed = _temp.Combine("changed.json");
        File.WriteAllText(changed, ChangedModelJson());
        using (Start(TestPaths.ExampleModel))
        {
        }

        using var restarted = Start(changed);

        Assert.Equal(2, restarted.Schema.Current!.Version.Id);
        Assert.True(restarted.Schema.Current.Version.AcceptClients);
    }

    private SyncEngine Start(string modelFile)
    {
        var engine = new SyncEngine(
            new SyncEngineOptions { DataDirectory = _temp.Combine("data"), ModelFile = modelFile, UnsecuredNoAuthentication = true },
            new SyncOptions(),
            [new UnsecuredAuthenticator()],
            new SyncStatistics(_meters, TimeProvider.System, NullLoggerFactory.Instance),
            new LogLevelSwitch(),
            NullLoggerFactory.Instance,
            TimeProvider.System);
        engine.Start();
        return engine;
    }

    // The example model plus one property with a fresh UID: a compatible change.
    private static string ChangedModelJson()
    {
        var model = ModelJson.Example();
        model.AddProperty("Task", "estimateMinutes", PropertyType.Int);
        return model.ToJsonString();
    }
}
