namespace SyncServer.Client.Tests.Infrastructure;

/// <summary>
/// The model the client tests use: Project, Task (ToOne projectId → Project, SYNC_CLOCK updatedAt, standalone relation
/// tags → Tag), Tag, Device (SHARED_GLOBAL_IDS) and Draft (not synced).
/// </summary>
internal static class TestModels
{
    public const uint ProjectId = 1;
    public const uint TaskId = 2;
    public const uint TagId = 3;
    public const uint DeviceId = 4;
    public const uint DraftId = 5;
    public const uint TagsRelationId = 1;

    public const string Json = """
        {
          "entities": [
            { "id": "1:1001", "lastPropertyId": "3:1013", "name": "Project", "flags": 2,
              "properties": [
                { "id": "1:1011", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:1012", "name": "name", "type": 9 },
                { "id": "3:1013", "name": "createdAt", "type": 10 } ],
              "relations": [] },
            { "id": "2:2001", "lastPropertyId": "6:2016", "name": "Task", "flags": 2,
              "properties": [
                { "id": "1:2011", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:2012", "name": "title", "type": 9 },
                { "id": "3:2013", "name": "done", "type": 1 },
                { "id": "4:2014", "name": "projectId", "indexId": "1:2019", "type": 11, "flags": 520, "relationTarget": "Project" },
                { "id": "5:2015", "name": "updatedAt", "type": 6, "flags": 131072 },
                { "id": "6:2016", "name": "priority", "type": 5 } ],
              "relations": [ { "id": "1:2021", "name": "tags", "targetId": "3:3001" } ] },
            { "id": "3:3001", "lastPropertyId": "2:3012", "name": "Tag", "flags": 2,
              "properties": [
                { "id": "1:3011", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:3012", "name": "name", "type": 9 } ],
              "relations": [] },
            { "id": "4:4001", "lastPropertyId": "2:4012", "name": "Device", "flags": 6,
              "properties": [
                { "id": "1:4011", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:4012", "name": "name", "type": 9 } ],
              "relations": [] },
            { "id": "5:5001", "lastPropertyId": "2:5012", "name": "Draft", "flags": 0,
              "properties": [
                { "id": "1:5011", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:5012", "name": "text", "type": 9 } ],
              "relations": [] }
          ],
          "lastEntityId": "5:5001", "lastIndexId": "1:2019", "lastRelationId": "1:2021", "lastSequenceId": "0:0",
          "modelVersion": 5, "modelVersionParserMinimum": 5,
          "retiredEntityUids": [], "retiredIndexUids": [], "retiredPropertyUids": [], "retiredRelationUids": [],
          "version": 1
        }
        """;

    public static SyncClientOptions Options(string directory, params Uri[] servers) => new()
    {
        ModelJson = Json,
        DataDirectory = directory,
        ServerUrls = servers,
        ReconnectDelays = [TimeSpan.FromMilliseconds(100)],
    };
}
