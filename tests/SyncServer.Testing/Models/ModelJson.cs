using System.Globalization;
using System.Text.Json.Nodes;
using SyncServer.Core.Model;

namespace SyncServer.Tests.TestSupport;

/// <summary>
/// Builds test models by editing a valid model file as JSON (System.Text.Json.Nodes), so each test states only what it
/// changes. The base is examples/objectbox-model.json: Project, Task (ToOne projectId, standalone relation tags) and Tag.
/// </summary>
internal static class ModelJson
{
    private static long _nextUid = 1_000_000_000_000_000_000;

    /// <summary>A fresh, editable copy of the example model.</summary>
    public static JsonObject Example() => Parse(File.ReadAllText(TestPaths.ExampleModel));

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Copy(this JsonObject model) => model.DeepClone().AsObject();

    public static ObjectBoxModel Load(this JsonObject model) => ModelJsonReader.Read(model.ToJsonString());

    /// <summary>Loads a model that must be refused and returns what the reader reported.</summary>
    public static IReadOnlyList<ModelError> Errors(this JsonObject model) =>
        Assert.Throws<ModelException>(() => model.Load()).Errors;

    /// <summary>The errors as "location: message" lines, for Assert.Contains on the full text.</summary>
    public static IReadOnlyList<string> ErrorLines(this JsonObject model) =>
        [.. model.Errors().Select(e => e.ToString())];

    public static JsonArray Entities(this JsonObject model) => model["entities"]!.AsArray();

    public static JsonObject Entity(this JsonObject model, string name) =>
        model.Entities().Single(e => (string?)e!["name"] == name)!.AsObject();

    public static JsonArray Properties(this JsonObject model, string entity) => model.Entity(entity)["properties"]!.AsArray();

    public static JsonObject Property(this JsonObject model, string entity, string property) =>
        model.Properties(entity).Single(p => (string?)p!["name"] == property)!.AsObject();

    public static JsonObject Relation(this JsonObject model, string entity, string relation) =>
        model.Entity(entity)["relations"]!.AsArray().Single(r => (string?)r!["name"] == relation)!.AsObject();

    /// <summary>The ID:UID under <paramref name="key"/> ("id" by default).</summary>
    public static IdUid IdOf(this JsonObject node, string key = "id")
    {
        Assert.True(IdUid.TryParse((string?)node[key], out var value));
        return value;
    }

    public static ulong UidOf(this JsonObject node, string key = "id") => node.IdOf(key).Uid;

    public static void SetId(this JsonObject node, string key, uint id, ulong uid) =>
        node[key] = new IdUid(id, uid).ToString();

    /// <summary>A UID no model file uses (tests only).</summary>
    public static ulong NewUid() => (ulong)Interlocked.Increment(ref _nextUid);

    /// <summary>Adds a property the way a generator does: next ID after lastPropertyId, a new UID, lastPropertyId moved up.</summary>
    public static JsonObject AddProperty(this JsonObject model, string entity, string name, PropertyType type, PropertyFlags flags = 0)
    {
        var owner = model.Entity(entity);
        var id = new IdUid(owner.IdOf("lastPropertyId").Id + 1, NewUid());
        var property = new JsonObject { ["id"] = id.ToString(), ["name"] = name, ["type"] = (int)type };
        if (flags != 0)
        {
            property["flags"] = (uint)flags;
        }

        owner["properties"]!.AsArray().Add(property);
        owner["lastPropertyId"] = id.ToString();
        return property;
    }

    /// <summary>Adds an index to a property: next ID after lastIndexId, a new UID, lastIndexId moved up.</summary>
    public static void AddIndex(this JsonObject model, string entity, string property, PropertyFlags flags)
    {
        var id = new IdUid(model.IdOf("lastIndexId").Id + 1, NewUid());
        var node = model.Property(entity, property);
        node["indexId"] = id.ToString();
        node["flags"] = (uint)(flags | (PropertyFlags)((uint?)node["flags"] ?? 0));
        model["lastIndexId"] = id.ToString();
    }

    /// <summary>Adds an entity with just an ID property: next ID after lastEntityId, lastEntityId moved up.</summary>
    public static JsonObject AddEntity(this JsonObject model, string name, EntityFlags flags = EntityFlags.SyncEnabled)
    {
        var id = new IdUid(model.IdOf("lastEntityId").Id + 1, NewUid());
        var idProperty = new IdUid(1, NewUid());
        var entity = new JsonObject
        {
            ["id"] = id.ToString(),
            ["lastPropertyId"] = idProperty.ToString(),
            ["name"] = name,
            ["flags"] = (uint)flags,
            ["properties"] = new JsonArray(new JsonObject
            {
                ["id"] = idProperty.ToString(),
                ["name"] = "id",
                ["type"] = (int)PropertyType.Long,
                ["flags"] = (uint)PropertyFlags.Id,
            }),
            ["relations"] = new JsonArray(),
        };
        model.Entities().Add(entity);
        model["lastEntityId"] = id.ToString();
        return entity;
    }

    /// <summary>Adds the entities of the conflict rules (docs/conflicts.md), both sync-enabled: Note (text, SYNC_PRECEDENCE
    /// precedence, SYNC_CLOCK clock) and Event (name, SYNC_CLOCK clock).</summary>
    public static JsonObject AddConflictEntities(this JsonObject model)
    {
        model.AddEntity("Note");
        model.AddProperty("Note", "text", PropertyType.String);
        model.AddProperty("Note", "precedence", PropertyType.Long, PropertyFlags.SyncPrecedence | PropertyFlags.Unsigned);
        model.AddProperty("Note", "clock", PropertyType.Long, PropertyFlags.SyncClock | PropertyFlags.Unsigned);
        model.AddEntity("Event");
        model.AddProperty("Event", "name", PropertyType.String);
        model.AddProperty("Event", "clock", PropertyType.Long, PropertyFlags.SyncClock | PropertyFlags.Unsigned);
        return model;
    }

    /// <summary>Removes a property and lists its UID in retiredPropertyUids, as a generator does.</summary>
    public static void RemoveProperty(this JsonObject model, string entity, string property, bool retire = true)
    {
        var node = model.Property(entity, property);
        model.Properties(entity).Remove(node);
        if (retire)
        {
            model.Retire("retiredPropertyUids", node.UidOf());
        }
    }

    public static void Retire(this JsonObject model, string list, ulong uid) => model[list]!.AsArray().Add(uid);

    public static string Text(this ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
