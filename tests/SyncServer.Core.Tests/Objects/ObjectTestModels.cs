using System.Text.Json.Nodes;
using SyncServer.Core.Model;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Core.Tests.Objects;

/// <summary>Entities for the object format tests: objectbox-c's Typeful, and AllTypes with every property type.</summary>
internal static class ObjectTestModels
{
    private static readonly Lazy<ObjectBoxModel> ObjectBoxC =
        new(() => ModelJsonReader.Read(File.ReadAllBytes(TestPaths.RealModel("objectbox_objectbox-c.json"))));

    private static readonly Lazy<ObjectBoxModel> AllTypesModel = new(() => AllTypesJson().Load());

    /// <summary>objectbox-c's test entity: signed and unsigned integers of every width, bool, float, double, strings, byte vectors.</summary>
    public static ModelEntity Typeful => ObjectBoxC.Value.FindEntity("Typeful")!;

    /// <summary>Every property type of SOURCES.md, signed and UNSIGNED where that matters, plus one without a type.</summary>
    public static ModelEntity AllTypes => AllTypesModel.Value.FindEntity("AllTypes")!;

    /// <summary>The example model with the AllTypes entity added (edit a copy for newer/older variants).</summary>
    public static JsonObject AllTypesJson()
    {
        var json = ModelJson.Example();
        json.AddEntity("AllTypes");
        foreach (var (name, type, flags) in AllTypesProperties)
        {
            var property = json.AddProperty("AllTypes", name, type, flags);
            if (type == PropertyType.Relation)
            {
                property["relationTarget"] = "Project";
            }
            else if (type == PropertyType.Unknown)
            {
                property.Remove("type");
            }
        }

        return json;
    }

    public static ModelProperty Property(this ModelEntity entity, string name) => entity.FindProperty(name)!;

    public static uint IdOf(this ModelEntity entity, string name) => entity.Property(name).Id.Id;

    /// <summary>Values by property name → values by property ID, as the codec takes them.</summary>
    public static Dictionary<uint, object?> ById(this ModelEntity entity, IReadOnlyDictionary<string, object?> values) =>
        values.ToDictionary(pair => entity.FindProperty(pair.Key)?.Id.Id ?? throw new ArgumentException(pair.Key), pair => pair.Value);

    /// <summary>Values by property ID → values by property name, for readable assertions.</summary>
    public static Dictionary<string, object?> ByName(this ModelEntity entity, IReadOnlyDictionary<uint, object?> values) =>
        values.ToDictionary(pair => entity.FindProperty(pair.Key)!.Name, pair => pair.Value);

    private static readonly (string Name, PropertyType Type, PropertyFlags Flags)[] AllTypesProperties =
    [
        ("bool", PropertyType.Bool, 0),
        ("byte", PropertyType.Byte, 0),
        ("ubyte", PropertyType.Byte, PropertyFlags.Unsigned),
        ("short", PropertyType.Short, 0),
        ("ushort", PropertyType.Short, PropertyFlags.Unsigned),
        ("char", PropertyType.Char, 0),
        ("int", PropertyType.Int, 0),
        ("uint", PropertyType.Int, PropertyFlags.Unsigned),
        ("long", PropertyType.Long, 0),
        ("ulong", PropertyType.Long, PropertyFlags.Unsigned),
        ("float", PropertyType.Float, 0),
        ("double", PropertyType.Double, 0),
        ("string", PropertyType.String, 0),
        ("date", PropertyType.Date, 0),
        ("project", PropertyType.Relation, 0),
        ("dateNano", PropertyType.DateNano, 0),
        ("flex", PropertyType.Flex, 0),
        ("boolVector", PropertyType.BoolVector, 0),
        ("byteVector", PropertyType.ByteVector, 0),
        ("shortVector", PropertyType.ShortVector, 0),
        ("ushortVector", PropertyType.ShortVector, PropertyFlags.Unsigned),
        ("charVector", PropertyType.CharVector, 0),
        ("intVector", PropertyType.IntVector, 0),
        ("uintVector", PropertyType.IntVector, PropertyFlags.Unsigned),
        ("longVector", PropertyType.LongVector, 0),
        ("ulongVector", PropertyType.LongVector, PropertyFlags.Unsigned),
        ("floatVector", PropertyType.FloatVector, 0),
        ("doubleVector", PropertyType.DoubleVector, 0),
        ("stringVector", PropertyType.StringVector, 0),
        ("dateVector", PropertyType.DateVector, 0),
        ("dateNanoVector", PropertyType.DateNanoVector, 0),
        ("untyped", PropertyType.Unknown, 0),
    ];
}
