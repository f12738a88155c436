using System.Text.Json.Nodes;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Core.Tests.Objects;

/// <summary>Encode refuses values that do not fit the entity, with a message naming entity, property and expected type.</summary>
public class ObjectCodecEncodeErrorTests
{
    private static readonly ModelEntity AllTypes = ObjectTestModels.AllTypes;

    private static string EncodeError(string name, object? value) =>
        Assert.Throws<ObjectFormatException>(() =>
            ObjectCodec.Encode(AllTypes, new Dictionary<uint, object?> { [AllTypes.IdOf(name)] = value })).Message;

    [Fact]
    public void An_unknown_property_id_is_refused()
    {
        var error = Assert.Throws<ObjectFormatException>(() =>
            ObjectCodec.Encode(AllTypes, new Dictionary<uint, object?> { [999] = 1L }));

        Assert.Equal("Entity \"AllTypes\" has no property with ID 999.", error.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_clr_type_names_entity_property_and_expected_type()
    {
        Assert.Equal(
            "Entity \"AllTypes\" property \"long\" (ID 10, Long) expects long, got a string.",
            EncodeError("long", "12"));
        Assert.Contains("property \"id\" (ID 1, Long) expects ulong, got double 1.5", EncodeError("id", 1.5), StringComparison.Ordinal);
        Assert.Contains("\"float\" (ID 12, Float) expects float, got double", EncodeError("float", 1.0), StringComparison.Ordinal);
        Assert.Contains("\"stringVector\" (ID 30, StringVector) expects string[], got List`1", EncodeError("stringVector", new List<string>()), StringComparison.Ordinal);
        Assert.Contains("\"intVector\" (ID 24, IntVector) expects int[], got long[]", EncodeError("intVector", new long[] { 1 }), StringComparison.Ordinal);
        Assert.Contains("\"char\" (ID 7, Char) expects char, got int 65", EncodeError("char", 65), StringComparison.Ordinal);
        Assert.Contains("\"bool\" (ID 2, Bool) expects bool, got int 1", EncodeError("bool", 1), StringComparison.Ordinal);
        Assert.Contains("\"flex\" (ID 18, Flex) expects byte[], got a string", EncodeError("flex", "{}"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("byte", 128)]
    [InlineData("byte", -129)]
    [InlineData("ubyte", -1)]
    [InlineData("ushort", 65536)]
    [InlineData("int", 2147483648L)]
    [InlineData("uint", -1)]
    [InlineData("long", ulong.MaxValue)]
    [InlineData("ulong", -1L)]
    [InlineData("project", -1)]
    public void An_integer_that_does_not_fit_is_refused_with_the_range(string name, object value)
    {
        var error = EncodeError(name, value);

        Assert.Contains($"\"{name}\"", error, StringComparison.Ordinal);
        Assert.Contains("out of its range", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_without_a_type_cannot_hold_a_value()
    {
        Assert.Contains("\"untyped\" (ID 33, Unknown) has no known type", EncodeError("untyped", 1L), StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_element_in_a_string_vector_is_refused()
    {
        Assert.Contains("element 1 is null", EncodeError("stringVector", new[] { "a", null }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_with_a_lone_surrogate_is_refused_because_utf8_cannot_hold_it()
    {
        Assert.Contains("lone surrogate U+D800 at index 1", EncodeError("string", "a\uD800b"), StringComparison.Ordinal);
        Assert.Contains("element 0: lone surrogate U+DC00 at index 0", EncodeError("stringVector", (string[])["\uDC00"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_id_beyond_what_a_vtable_can_hold_is_refused()
    {
        var json = ModelJson.Example();
        json.AddEntity("Wide");
        json.Entity("Wide")["properties"]!.AsArray().Add(new JsonObject
        {
            ["id"] = $"40000:{ModelJson.NewUid()}", ["name"] = "far", ["type"] = (int)PropertyType.Long,
        });
        json.Entity("Wide")["lastPropertyId"] = json.Property("Wide", "far")["id"]!.GetValue<string>();
        var model = json.Load().FindEntity("Wide")!;

        var error = Assert.Throws<ObjectFormatException>(() =>
            ObjectCodec.Encode(model, new Dictionary<uint, object?> { [40000] = 1L }));

        Assert.Contains("property IDs 1 to 32765", error.Message, StringComparison.Ordinal);
    }
}
