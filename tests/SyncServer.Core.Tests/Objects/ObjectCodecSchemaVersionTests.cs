using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Core.Tests.Objects;

/// <summary>Objects across schema versions: unknown fields are ignored, Project drops them, Merge keeps them.</summary>
public class ObjectCodecSchemaVersionTests
{
    // Version 1 is the example model's Task; version 2 adds "estimate" (Long, ID 9) and "tagsSeen" (StringVector, ID 10).
    private static readonly ModelEntity TaskV1 = ModelJson.Example().Load().FindEntity("Task")!;
    private static readonly ModelEntity TaskV2 = NewerTask();

    private static ModelEntity NewerTask()
    {
        var json = ModelJson.Example();
        json.AddProperty("Task", "estimate", PropertyType.Long);
        json.AddProperty("Task", "tagsSeen", PropertyType.StringVector);
        return json.Load().FindEntity("Task")!;
    }

    private static Dictionary<string, object?> FullTask() => new()
    {
        ["id"] = 17UL,
        ["title"] = "write docs",
        ["notes"] = "objects.md",
        ["done"] = false,
        ["priority"] = 2,
        ["dueAt"] = 1_750_000_000_000L,
        ["projectId"] = 3UL,
        ["labels"] = new[] { "docs" },
        ["estimate"] = 90L,
        ["tagsSeen"] = new[] { "a", "b" },
    };

    [Fact]
    public void Fields_from_a_newer_schema_are_ignored_by_an_older_entity()
    {
        var bytes = ObjectCodec.Encode(TaskV2, TaskV2.ById(FullTask()));

        var decoded = TaskV1.ByName(ObjectCodec.Decode(TaskV1, bytes));
        ObjectCodec.Validate(TaskV1, bytes);

        Assert.Equal(["id", "title", "notes", "done", "priority", "dueAt", "projectId", "labels"], decoded.Keys);
        Assert.Equal("write docs", decoded["title"]);
        Assert.Equal(17UL, ObjectCodec.ReadId(TaskV1, bytes));
    }

    [Fact]
    public void Fields_an_older_client_never_wrote_are_absent_in_the_newer_entity()
    {
        var bytes = ObjectCodec.Encode(TaskV1, TaskV1.ById(new Dictionary<string, object?> { ["id"] = 1UL, ["title"] = "t" }));

        var decoded = TaskV2.ByName(ObjectCodec.Decode(TaskV2, bytes));

        Assert.Equal(["id", "title"], decoded.Keys);
    }

    [Fact]
    public void Project_keeps_only_the_properties_the_target_knows()
    {
        var bytes = ObjectCodec.Encode(TaskV2, TaskV2.ById(FullTask()));

        var projected = ObjectCodec.Project(TaskV1, bytes, TaskV2);

        var expected = FullTask();
        expected.Remove("estimate");
        expected.Remove("tagsSeen");
        // Read with the newer entity: the dropped fields are really gone from the bytes, not just ignored.
        Assert.Equal(ValueText.Of(TaskV2.ById(expected)), ValueText.Of(ObjectCodec.Decode(TaskV2, projected)));
        Assert.True(projected.Length < bytes.Length);
    }

    [Fact]
    public void Project_onto_the_same_entity_gives_the_same_values()
    {
        var bytes = ObjectCodec.Encode(TaskV2, TaskV2.ById(FullTask()));

        var projected = ObjectCodec.Project(TaskV2, bytes, TaskV2);

        Assert.Equal(ValueText.Of(ObjectCodec.Decode(TaskV2, bytes)), ValueText.Of(ObjectCodec.Decode(TaskV2, projected)));
    }

    [Fact]
    public void Merge_takes_what_an_older_client_sent_and_keeps_the_properties_it_does_not_know()
    {
        var stored = ObjectCodec.Encode(TaskV2, TaskV2.ById(FullTask()));
        var incoming = ObjectCodec.Encode(TaskV1, TaskV1.ById(new Dictionary<string, object?>
        {
            ["id"] = 17UL, ["title"] = "write better docs", ["done"] = true, ["priority"] = 0, ["labels"] = Array.Empty<string>(),
        }));

        var merged = TaskV2.ByName(ObjectCodec.Decode(TaskV2, ObjectCodec.Merge(TaskV2, stored, incoming, TaskV1)));

        Assert.Equal("write better docs", merged["title"]);
        Assert.Equal(true, merged["done"]);
        Assert.Equal(0, merged["priority"]);
        Assert.Equal(Array.Empty<string>(), merged["labels"]);
        // Known to the client but absent in what it sent: the client cleared them.
        Assert.False(merged.ContainsKey("notes"));
        Assert.False(merged.ContainsKey("dueAt"));
        Assert.False(merged.ContainsKey("projectId"));
        // Unknown to the client: kept from the stored object.
        Assert.Equal(90L, merged["estimate"]);
        Assert.Equal((string[])["a", "b"], merged["tagsSeen"]);
    }

    [Fact]
    public void Merge_from_a_client_on_the_full_schema_is_just_the_incoming_object()
    {
        var stored = ObjectCodec.Encode(TaskV2, TaskV2.ById(FullTask()));
        var incoming = ObjectCodec.Encode(TaskV2, TaskV2.ById(new Dictionary<string, object?> { ["id"] = 17UL, ["title"] = "new" }));

        var merged = ObjectCodec.Decode(TaskV2, ObjectCodec.Merge(TaskV2, stored, incoming, TaskV2));

        Assert.Equal(ValueText.Of(ObjectCodec.Decode(TaskV2, incoming)), ValueText.Of(merged));
    }

    [Fact]
    public void Merge_without_a_stored_object_is_the_incoming_object_on_the_full_entity()
    {
        var incoming = ObjectCodec.Encode(TaskV1, TaskV1.ById(new Dictionary<string, object?> { ["id"] = 5UL, ["title"] = "first" }));

        var merged = ObjectCodec.Merge(TaskV2, [], incoming, TaskV1);

        Assert.Equal(
            new Dictionary<string, object?> { ["id"] = 5UL, ["title"] = "first" },
            TaskV2.ByName(ObjectCodec.Decode(TaskV2, merged)));
    }

    [Fact]
    public void Merge_drops_incoming_properties_the_full_entity_no_longer_has()
    {
        var json = ModelJson.Example();
        json.RemoveProperty("Task", "notes");
        var withoutNotes = json.Load().FindEntity("Task")!;
        var incoming = ObjectCodec.Encode(TaskV1, TaskV1.ById(new Dictionary<string, object?> { ["id"] = 5UL, ["notes"] = "old field" }));

        var merged = ObjectCodec.Merge(withoutNotes, [], incoming, TaskV1);

        Assert.Equal(["id"], TaskV1.ByName(ObjectCodec.Decode(TaskV1, merged)).Keys);
    }

    [Fact]
    public void Merge_refuses_a_malformed_incoming_object()
    {
        var stored = ObjectCodec.Encode(TaskV2, TaskV2.ById(FullTask()));

        var error = Assert.Throws<ObjectFormatException>(() => ObjectCodec.Merge(TaskV2, stored, [1, 2, 3], TaskV1));

        Assert.Contains("\"Task\"", error.Message, StringComparison.Ordinal);
    }
}
