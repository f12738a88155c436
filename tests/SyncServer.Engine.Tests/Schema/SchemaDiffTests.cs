using System.Text.Json.Nodes;
using SyncServer.Core.Model;
using SyncServer.Engine.Schema;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Engine.Tests.Schema;

/// <summary>
/// One test per compatibility rule of docs/schema.md. <c>_current</c> and <c>_next</c> both start as the example model
/// (Project, Task with ToOne projectId and standalone relation tags, Tag); each test edits what the rule is about.
/// </summary>
public class SchemaDiffTests
{
    private JsonObject _current = ModelJson.Example();
    private JsonObject _next = ModelJson.Example();

    private IReadOnlyList<SchemaChange> Compare() => SchemaDiff.Compare(_current.Load(), _next.Load());

    private SchemaChange SingleChange() => Assert.Single(Compare());

    private static void AssertChange(SchemaChange change, SchemaChangeKind kind, string location, string description, bool breaking)
    {
        Assert.Equal(new SchemaChange(kind, location, description, breaking), change);
    }

    // --- no change ---

    [Fact]
    public void Identical_models_have_no_changes()
    {
        var changes = Compare();

        Assert.Empty(changes);
        Assert.True(SchemaDiff.IsCompatible(changes));
    }

    [Fact]
    public void Reordered_and_reformatted_models_have_no_changes()
    {
        var entities = _next.Entities();
        var tag = entities[2]!;
        entities.RemoveAt(2);
        entities.Insert(0, tag);
        _next.Properties("Task").RemoveAt(0);
        _next.Properties("Task").Add(_current.Property("Task", "id").DeepClone());
        _next["_note9"] = "x";
        _next["version"] = 3;

        Assert.Empty(Compare());
    }

    // --- compatible ---

    [Fact]
    public void Adding_an_entity_is_compatible()
    {
        _next.AddEntity("Comment");

        AssertChange(SingleChange(), SchemaChangeKind.EntityAdded, "Comment", "entity \"Comment\" added", false);
    }

    [Fact]
    public void Adding_a_property_is_compatible()
    {
        _next.AddProperty("Task", "estimate", PropertyType.Int);

        AssertChange(SingleChange(), SchemaChangeKind.PropertyAdded, "Task.estimate", "property \"Task.estimate\" added", false);
    }

    [Fact]
    public void Adding_a_standalone_relation_is_compatible()
    {
        var id = new IdUid(_next.IdOf("lastRelationId").Id + 1, ModelJson.NewUid());
        _next.Entity("Project")["relations"]!.AsArray().Add(new JsonObject
        {
            ["id"] = id.ToString(),
            ["name"] = "pinned",
            ["targetId"] = _next.Entity("Task")["id"]!.GetValue<string>(),
        });
        _next["lastRelationId"] = id.ToString();

        AssertChange(SingleChange(), SchemaChangeKind.RelationAdded, "Project.pinned", "relation \"Project.pinned\" to \"Task\" added", false);
    }

    [Fact]
    public void Renaming_an_entity_is_compatible_and_to_one_targets_follow_the_new_name()
    {
        _next.Entity("Project")["name"] = "Folder";
        _next.Property("Task", "projectId")["relationTarget"] = "Folder";

        AssertChange(SingleChange(), SchemaChangeKind.EntityRenamed, "Folder", "entity \"Project\" renamed to \"Folder\"", false);
    }

    [Fact]
    public void Renaming_a_property_is_compatible()
    {
        _next.Property("Task", "title")["name"] = "heading";

        AssertChange(SingleChange(), SchemaChangeKind.PropertyRenamed, "Task.heading", "property \"Task.title\" renamed to \"heading\"", false);
    }

    [Fact]
    public void Renaming_a_standalone_relation_is_compatible()
    {
        _next.Relation("Task", "tags")["name"] = "topics";

        AssertChange(SingleChange(), SchemaChangeKind.RelationChanged, "Task.topics", "relation \"Task.tags\" renamed to \"topics\"", false);
    }

    [Fact]
    public void Removing_a_property_with_its_uid_retired_is_compatible()
    {
        var uid = _next.Property("Task", "notes").UidOf();
        _next.RemoveProperty("Task", "notes");

        AssertChange(SingleChange(), SchemaChangeKind.PropertyRemoved, "Task.notes", $"property \"Task.notes\" removed (UID {uid} retired)", false);
    }

    [Fact]
    public void Removing_an_entity_and_its_relation_with_uids_retired_is_compatible()
    {
        RemoveTagEntity(retireEntity: true);

        var changes = Compare();

        Assert.Equal(
            [
                new SchemaChange(SchemaChangeKind.EntityRemoved, "Tag", $"entity \"Tag\" removed (UID {_current.Entity("Tag").UidOf()} retired)", false),
                new SchemaChange(SchemaChangeKind.RelationRemoved, "Task.tags", $"relation \"Task.tags\" removed (UID {_current.Relation("Task", "tags").UidOf()} retired)", false),
            ],
            changes);
        Assert.True(SchemaDiff.IsCompatible(changes));
    }

    [Fact]
    public void Adding_an_index_is_compatible()
    {
        _next.AddIndex("Task", "title", PropertyFlags.Indexed | PropertyFlags.IndexHash);
        var indexId = _next.Property("Task", "title").IdOf("indexId");

        var changes = Compare();

        Assert.Equal(
            [
                "property \"Task.title\" flags changed from 0 to 2056 (Indexed, IndexHash)",
                $"property \"Task.title\" index added ({indexId})",
            ],
            changes.Select(c => c.Description));
        Assert.All(changes, c => Assert.Equal(SchemaChangeKind.PropertyChanged, c.Kind));
        Assert.True(SchemaDiff.IsCompatible(changes));
    }

    [Fact]
    public void Removing_an_index_with_its_uid_retired_is_compatible()
    {
        var name = _next.Property("Tag", "name");
        _next.Retire("retiredIndexUids", name.UidOf("indexId"));
        name.Remove("indexId");
        name["flags"] = 0;

        var changes = Compare();

        Assert.Equal(2, changes.Count);
        Assert.True(SchemaDiff.IsCompatible(changes));
        Assert.Contains(changes, c => c.Description.StartsWith("property \"Tag.name\" index removed", StringComparison.Ordinal));
    }

    [Fact]
    public void Other_property_flag_changes_are_compatible()
    {
        _next.Property("Task", "title")["flags"] = (uint)PropertyFlags.NotNull;

        AssertChange(SingleChange(), SchemaChangeKind.PropertyChanged, "Task.title", "property \"Task.title\" flags changed from 0 to 4 (NotNull)", false);
    }

    [Fact]
    public void Turning_sync_off_for_an_entity_is_compatible()
    {
        _next.Entity("Tag")["flags"] = 0;

        AssertChange(SingleChange(), SchemaChangeKind.EntityChanged, "Tag", "entity \"Tag\" sync turned off (SYNC_ENABLED flag)", false);
    }

    [Fact]
    public void Other_entity_flag_changes_are_compatible()
    {
        _next.Entity("Tag")["flags"] = (uint)(EntityFlags.SyncEnabled | EntityFlags.UseNoArgConstructor);

        AssertChange(SingleChange(), SchemaChangeKind.EntityChanged, "Tag", "entity \"Tag\" flags changed from 2 (SyncEnabled) to 3 (UseNoArgConstructor, SyncEnabled)", false);
    }

    [Fact]
    public void External_name_changes_are_compatible()
    {
        _next.Entity("Task")["externalName"] = "tasks";
        _next.Property("Task", "title")["externalName"] = "task_title";

        var changes = Compare();

        Assert.Equal(
            [
                "entity \"Task\" externalName changed from none to \"tasks\"",
                "property \"Task.title\" externalName changed from none to \"task_title\"",
            ],
            changes.Select(c => c.Description));
        Assert.True(SchemaDiff.IsCompatible(changes));
    }

    // --- breaking ---

    [Fact]
    public void Removing_an_entity_without_retiring_its_uid_is_breaking()
    {
        RemoveTagEntity(retireEntity: false);
        var uid = _current.Entity("Tag").UidOf();

        AssertChange(
            Assert.Single(Compare(), c => c.IsBreaking),
            SchemaChangeKind.EntityRemoved,
            "Tag",
            $"entity \"Tag\" removed without retiring its UID {uid} in retiredEntityUids",
            true);
    }

    [Fact]
    public void Removing_a_property_without_retiring_its_uid_is_breaking()
    {
        var uid = _next.Property("Task", "notes").UidOf();
        _next.RemoveProperty("Task", "notes", retire: false);

        AssertChange(
            SingleChange(),
            SchemaChangeKind.PropertyRemoved,
            "Task.notes",
            $"property \"Task.notes\" removed without retiring its UID {uid} in retiredPropertyUids",
            true);
    }

    [Fact]
    public void Removing_a_standalone_relation_without_retiring_its_uid_is_breaking()
    {
        var uid = _next.Relation("Task", "tags").UidOf();
        _next.Entity("Task")["relations"] = new JsonArray();

        AssertChange(
            SingleChange(),
            SchemaChangeKind.RelationRemoved,
            "Task.tags",
            $"relation \"Task.tags\" removed without retiring its UID {uid} in retiredRelationUids",
            true);
    }

    [Fact]
    public void An_entity_with_the_same_uid_and_another_id_is_breaking()
    {
        var uid = _next.Entity("Tag").UidOf();
        _next.Entity("Tag").SetId("id", 4, uid);
        _next.SetId("lastEntityId", 4, uid);
        _next.Relation("Task", "tags").SetId("targetId", 4, uid);

        AssertChange(SingleChange(), SchemaChangeKind.EntityChanged, "Tag", $"entity \"Tag\" ID changed from 3 to 4 with the same UID {uid}", true);
    }

    [Fact]
    public void A_property_with_the_same_uid_and_another_id_is_breaking()
    {
        var labels = _next.Property("Task", "labels");
        labels.SetId("id", 9, labels.UidOf());
        _next.Entity("Task").SetId("lastPropertyId", 9, labels.UidOf());

        AssertChange(
            SingleChange(),
            SchemaChangeKind.PropertyChanged,
            "Task.labels",
            $"property \"Task.labels\" ID changed from 8 to 9 with the same UID {labels.UidOf()}",
            true);
    }

    [Fact]
    public void A_relation_with_the_same_uid_and_another_id_is_breaking()
    {
        var tags = _next.Relation("Task", "tags");
        tags.SetId("id", 2, tags.UidOf());
        _next.SetId("lastRelationId", 2, tags.UidOf());

        AssertChange(
            SingleChange(),
            SchemaChangeKind.RelationChanged,
            "Task.tags",
            $"relation \"Task.tags\" ID changed from 1 to 2 with the same UID {tags.UidOf()}",
            true);
    }

    [Fact]
    public void Changing_a_property_type_is_breaking()
    {
        _next.Property("Task", "title")["type"] = (int)PropertyType.Long;

        AssertChange(SingleChange(), SchemaChangeKind.PropertyChanged, "Task.title", "property \"Task.title\" type changed from String to Long", true);
    }

    [Fact]
    public void Moving_the_id_flag_is_breaking()
    {
        _next.Property("Task", "id")["flags"] = 0;
        _next.Property("Task", "priority")["flags"] = (uint)PropertyFlags.Id;
        _next.Property("Task", "priority")["type"] = (int)PropertyType.Long;

        var changes = Compare();

        Assert.Equal(
            [
                "property \"Task.id\" ID flag turned off",
                "property \"Task.priority\" type changed from Int to Long",
                "property \"Task.priority\" ID flag turned on",
            ],
            changes.Select(c => c.Description));
        Assert.All(changes, c => Assert.True(c.IsBreaking));
    }

    [Fact]
    public void Changing_the_unsigned_flag_is_breaking()
    {
        _next.Property("Task", "priority")["flags"] = (uint)PropertyFlags.Unsigned;

        AssertChange(
            SingleChange(),
            SchemaChangeKind.PropertyChanged,
            "Task.priority",
            "property \"Task.priority\" UNSIGNED flag turned on; stored values would be read differently",
            true);
    }

    [Fact]
    public void Pointing_a_to_one_relation_at_another_entity_is_breaking()
    {
        _next.Property("Task", "projectId")["relationTarget"] = "Tag";

        AssertChange(
            SingleChange(),
            SchemaChangeKind.PropertyChanged,
            "Task.projectId",
            "property \"Task.projectId\" relationTarget changed from \"Project\" to \"Tag\"",
            true);
    }

    [Fact]
    public void Pointing_a_standalone_relation_at_another_entity_is_breaking()
    {
        _next.Relation("Task", "tags")["targetId"] = _next.Entity("Project")["id"]!.GetValue<string>();

        AssertChange(
            SingleChange(),
            SchemaChangeKind.RelationChanged,
            "Task.tags",
            "relation \"Task.tags\" target changed from \"Tag\" to \"Project\"",
            true);
    }

    [Fact]
    public void Toggling_shared_global_ids_is_breaking()
    {
        _next.Entity("Task")["flags"] = (uint)(EntityFlags.SyncEnabled | EntityFlags.SharedGlobalIds);

        AssertChange(
            SingleChange(),
            SchemaChangeKind.EntityChanged,
            "Task",
            "entity \"Task\" SHARED_GLOBAL_IDS flag turned on; object IDs would change meaning",
            true);
    }

    [Fact]
    public void A_retired_property_uid_coming_back_is_breaking()
    {
        var uid = _current.Property("Task", "notes").UidOf();
        _current.RemoveProperty("Task", "notes");

        AssertChange(
            SingleChange(),
            SchemaChangeKind.PropertyAdded,
            "Task.notes",
            $"property \"Task.notes\" added with UID {uid}, which the current model retired; a retired UID must never come back",
            true);
    }

    [Fact]
    public void A_retired_entity_and_relation_uid_coming_back_is_breaking()
    {
        // current: Tag and Task.tags were removed and retired; next brings them back with the same UIDs.
        (_current, _next) = (_next, _current);
        RemoveTagEntity(retireEntity: true);
        (_current, _next) = (_next, _current);

        var changes = Compare();

        Assert.Equal(
            [(SchemaChangeKind.EntityAdded, "Tag", true), (SchemaChangeKind.RelationAdded, "Task.tags", true)],
            changes.Select(c => (c.Kind, c.Location, c.IsBreaking)));
        Assert.Contains("which the current model retired", changes[0].Description, StringComparison.Ordinal);
        Assert.False(SchemaDiff.IsCompatible(changes));
    }

    [Theory]
    [InlineData("lastEntityId", "entity")]
    [InlineData("lastIndexId", "index")]
    [InlineData("lastRelationId", "relation")]
    public void A_last_id_going_down_is_breaking(string key, string kind)
    {
        var last = _current.IdOf(key);
        _current.SetId(key, last.Id + 2, ModelJson.NewUid());

        AssertChange(
            SingleChange(),
            SchemaChangeKind.ModelChanged,
            "model",
            $"{key} went down from {last.Id + 2} to {last.Id}; {kind} IDs could be reused",
            true);
    }

    [Fact]
    public void A_last_property_id_going_down_is_breaking()
    {
        _current.Entity("Tag").SetId("lastPropertyId", 5, ModelJson.NewUid());

        AssertChange(
            SingleChange(),
            SchemaChangeKind.EntityChanged,
            "Tag",
            "entity \"Tag\" lastPropertyId went down from 5 to 2; property IDs could be reused",
            true);
    }

    [Fact]
    public void An_index_with_the_same_uid_and_another_id_is_breaking()
    {
        var name = _next.Property("Tag", "name");
        name.SetId("indexId", 3, name.UidOf("indexId"));
        _next.SetId("lastIndexId", 3, name.UidOf("indexId"));

        Assert.True(SingleChange().IsBreaking);
    }

    // --- the helper ---

    [Fact]
    public void Is_compatible_is_false_as_soon_as_one_change_is_breaking()
    {
        SchemaChange compatible = new(SchemaChangeKind.PropertyAdded, "A.b", "property \"A.b\" added", false);
        SchemaChange breaking = new(SchemaChangeKind.PropertyChanged, "A.c", "property \"A.c\" type changed from Int to Long", true);

        Assert.True(SchemaDiff.IsCompatible([]));
        Assert.True(SchemaDiff.IsCompatible([compatible]));
        Assert.False(SchemaDiff.IsCompatible([compatible, breaking]));
        Assert.Equal("property \"A.c\" type changed from Int to Long (breaking)", breaking.ToString());
    }

    /// <summary>Removes Tag and the relation Task.tags from next as a generator would, retiring their UIDs.</summary>
    private void RemoveTagEntity(bool retireEntity)
    {
        var tag = _next.Entity("Tag");
        var tags = _next.Relation("Task", "tags");
        _next.Entities().Remove(tag);
        _next.Entity("Task")["relations"] = new JsonArray();
        _next.Retire("retiredRelationUids", tags.UidOf());
        if (retireEntity)
        {
            _next.Retire("retiredEntityUids", tag.UidOf());
        }

        foreach (var property in tag["properties"]!.AsArray())
        {
            _next.Retire("retiredPropertyUids", property!.AsObject().UidOf());
        }

        _next.Retire("retiredIndexUids", tag["properties"]![1]!.AsObject().UidOf("indexId"));
    }
}
