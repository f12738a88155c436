using System.Text.Json.Nodes;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;

namespace SyncServer.Web.Tests.Sync;

/// <summary>
/// One real server for the session tests: the example model plus a non-sync entity "LocalNote" (ID 4), debug logging,
/// and a 256 KB message limit (so the oversize test need not send 32 MiB). Tests use fresh client IDs, so they do not
/// see each other's clients; they run one after another within the class.
/// </summary>
public sealed class SyncServerFixture : IAsyncLifetime, IDisposable
{
    public const int MaxMessageBytes = 256 * 1024;
    public const uint ProjectEntityId = 1;

    /// <summary>The bearer token /metrics accepts from scrapers (SYNCSERVER_METRICS_TOKEN).</summary>
    public const string MetricsToken = "metrics-test-token";
    public const uint LocalNoteEntityId = 4;

    private TempDirectory _dir = null!;

    internal ServerProcess Server { get; private set; } = null!;

    public ObjectBoxModel Model { get; private set; } = null!;

    public byte[] SchemaHash => Convert.FromHexString(Model.Hash);

    public ModelEntity Project => Model.FindEntity(ProjectEntityId)!;

    public async Task InitializeAsync()
    {
        _dir = new TempDirectory();
        var json = WithLocalNote(File.ReadAllText(TestPaths.ExampleModel));
        var modelFile = _dir.Combine("objectbox-model.json");
        File.WriteAllText(modelFile, json);
        Model = ModelJsonReader.Read(json);
        Server = await ServerProcess.StartAndWaitAsync(
            _dir.Path,
            new Dictionary<string, string>
            {
                ["Sync__MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SYNCSERVER_METRICS_TOKEN"] = MetricsToken,
            },
            "--model", modelFile, "--unsecured-no-authentication", "--log-level", "debug");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>After <see cref="DisposeAsync"/> (xunit calls both): the server has released the directory.</summary>
    public void Dispose() => _dir?.Dispose();

    internal Task<RawSyncClient> ConnectAsync() => RawSyncClient.ConnectAsync(Server.SyncPort);

    /// <summary>A logged-in AUTO client that has finished its initial catch-up.</summary>
    internal async Task<RawSyncClient> ConnectAndLoginAsync()
    {
        var client = await ConnectAsync();
        await client.LoginAndCatchUpAsync(SchemaHash);
        return client;
    }

    /// <summary>A PUT of a Project created by client <paramref name="clientNumber"/> with local ID <paramref name="localId"/>.</summary>
    public PutOp ProjectPut(uint clientNumber, ulong localId, string name)
    {
        var id = ((ulong)clientNumber << 40) | localId;
        return new PutOp(ProjectEntityId, id, ObjectCodec.Encode(Project, new Dictionary<uint, object?> { [1] = id, [2] = name, [3] = 7 }));
    }

    public string ProjectName(PutOp put) => (string)ObjectCodec.Decode(Project, put.Data.Span)[2]!;

    private static string WithLocalNote(string exampleJson)
    {
        var model = JsonNode.Parse(exampleJson)!.AsObject();
        model["entities"]!.AsArray().Add(JsonNode.Parse("""
            {
              "id": "4:6187716233459417005",
              "lastPropertyId": "2:3305180617356093214",
              "name": "LocalNote",
              "flags": 0,
              "properties": [
                { "id": "1:8113476128874466452", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:3305180617356093214", "name": "text", "type": 9 }
              ],
              "relations": []
            }
            """));
        model["lastEntityId"] = "4:6187716233459417005";
        return model.ToJsonString();
    }
}
