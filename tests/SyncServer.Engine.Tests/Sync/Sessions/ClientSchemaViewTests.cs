using System.Text.Json.Nodes;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Engine.Tests.Sync.Sessions;

/// <summary>What a client on an older schema version is sent: only what its version knows.</summary>
public sealed class ClientSchemaViewTests
{
    private static readonly string ExampleJson = File.ReadAllText(TestPaths.ExampleModel);
    private static readonly ObjectBoxModel Current = ModelJsonReader.Read(ExampleJson);

    // The example as an older version: Task without "dueAt" (property 6), no Tag entity and no Task.tags relation.
    private static readonly ObjectBoxModel Older = ModelJsonReader.Read(Older_());

    [Fact]
    public void A_client_on_the_current_version_gets_the_ops_unchanged()
    {
        var view = new ClientSchemaView(Current, Current);
        IReadOnlyList<SyncOp> ops = [TaskPut(5), new LinkOp(1, 5, 6, true)];

        Assert.True(view.IsIdentity);
        Assert.Same(ops, view.Filter(ops));
    }

    [Fact]
    public void An_older_client_loses_unknown_entities_and_relations_and_unknown_properties_are_projected_away()
    {
        var view = new ClientSchemaView(Older, Current);
        var tag = Current.FindEntity("Tag")!;
        IReadOnlyList<SyncOp> ops =
        [
            TaskPut(5),
            new PutOp(tag.Id.Id, 6, ObjectCodec.Encode(tag, new Dictionary<uint, object?> { [1] = 6ul, [2] = "urgent" })),
            new LinkOp(1, 5, 6, true),
            new RemoveOp(tag.Id.Id, 6, 0),
            new RemoveOp(Current.FindEntity("Task")!.Id.Id, 7, 0),
        ];

        var shown = view.Filter(ops);

        Assert.False(view.IsIdentity);
        Assert.Equal(2, shown.Count);
        var put = Assert.IsType<PutOp>(shown[0]);
        var values = ObjectCodec.Decode(Current.FindEntity("Task")!, put.Data.Span);
        Assert.Equal("write tests", values[2]);
        Assert.False(values.TryGetValue(6, out var dueAt) && dueAt is not null, "dueAt is unknown to the older version");
        Assert.IsType<RemoveOp>(shown[1]);
    }

    private static PutOp TaskPut(ulong id)
    {
        var task = Current.FindEntity("Task")!;
        return new PutOp(task.Id.Id, id, ObjectCodec.Encode(task, new Dictionary<uint, object?>
        {
            [1] = id,
            [2] = "write tests",
            [6] = 1_700_000_000_000L,
        }));
    }

    private static string Older_()
    {
        var model = JsonNode.Parse(ExampleJson)!.AsObject();
        var entities = model["entities"]!.AsArray();
        var task = entities.First(e => (string?)e!["name"] == "Task")!.AsObject();
        var properties = task["properties"]!.AsArray();
        properties.Remove(properties.First(p => (string?)p!["name"] == "dueAt"));
        task["relations"] = new JsonArray();
        entities.Remove(entities.First(e => (string?)e!["name"] == "Tag"));
        return model.ToJsonString();
    }
}
