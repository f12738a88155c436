using System.Text;
using System.Text.Json;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;

namespace SyncServer.Core.Tests.Objects;

/// <summary>Objects as JSON for tools: property names, ID order, exact numbers, base64, non-finite floats as strings.</summary>
public class ObjectJsonTests
{
    private static readonly ModelEntity AllTypes = ObjectTestModels.AllTypes;
    private static readonly ModelEntity Typeful = ObjectTestModels.Typeful;

    private static string ToJson(ModelEntity entity, IReadOnlyDictionary<uint, object?> values)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            ObjectJson.Write(writer, entity, values);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Dictionary<uint, object?> FromJson(ModelEntity entity, string json)
    {
        using var document = JsonDocument.Parse(json);
        return ObjectJson.Read(entity, document.RootElement);
    }

    private static string ReadError(ModelEntity entity, string json) =>
        Assert.Throws<ObjectFormatException>(() => FromJson(entity, json)).Message;

    [Theory]
    [InlineData("min")]
    [InlineData("zero")]
    [InlineData("max")]
    public void Every_property_type_round_trips_through_json(string set)
    {
        var values = AllTypes.ById(set switch
        {
            "min" => ObjectTestValues.AllTypesMin(),
            "zero" => ObjectTestValues.AllTypesZero(),
            _ => ObjectTestValues.AllTypesMax(),
        });
        // JSON keeps no NaN payloads: compare the floats with plain NaN instead.
        values[AllTypes.IdOf("floatVector")] = (float[])[-0f, 0f, float.Epsilon, float.MinValue, float.MaxValue, 0.1f, float.NaN, float.NegativeInfinity];
        values[AllTypes.IdOf("doubleVector")] = (double[])[-0d, double.Epsilon, double.MaxValue, 0.1, 1e300, double.NaN, double.PositiveInfinity];

        var read = FromJson(AllTypes, ToJson(AllTypes, values));

        Assert.Equal(ValueText.Of(values), ValueText.Of(read));
    }

    [Fact]
    public void Decoded_objects_go_to_json_and_back_to_the_same_bytes()
    {
        var bytes = ObjectCodec.Encode(AllTypes, AllTypes.ById(ObjectTestValues.AllTypesZero()));

        var again = ObjectCodec.Encode(AllTypes, FromJson(AllTypes, ToJson(AllTypes, ObjectCodec.Decode(AllTypes, bytes))));

        Assert.Equal(bytes, again);
    }

    [Fact]
    public void Properties_are_written_by_name_in_property_id_order_with_exact_64_bit_numbers()
    {
        var values = new Dictionary<uint, object?>
        {
            [Typeful.IdOf("uint64")] = ulong.MaxValue,
            [Typeful.IdOf("id")] = 9_007_199_254_740_993UL, // 2^53 + 1
            [Typeful.IdOf("int64")] = long.MinValue,
            [Typeful.IdOf("bool")] = true,
            [Typeful.IdOf("string")] = "a\"b",
        };

        Assert.Equal(
            """{"id":9007199254740993,"int64":-9223372036854775808,"uint64":18446744073709551615,"bool":true,"string":"a\u0022b"}""",
            ToJson(Typeful, values));
    }

    [Fact]
    public void Bytes_and_flex_are_base64_and_non_finite_floats_are_strings()
    {
        var values = AllTypes.ById(new Dictionary<string, object?>
        {
            ["float"] = float.NaN, ["double"] = double.NegativeInfinity, ["flex"] = new byte[] { 1, 2, 3 },
            ["byteVector"] = Array.Empty<byte>(), ["doubleVector"] = new[] { double.PositiveInfinity, -0d, 1.5 },
            ["char"] = 'A', ["string"] = null,
        });

        Assert.Equal(
            """{"char":65,"float":"NaN","double":"-Infinity","string":null,"flex":"AQID","byteVector":"","doubleVector":["Infinity",-0,1.5]}""",
            ToJson(AllTypes, values));
    }

    [Fact]
    public void Read_accepts_a_one_character_string_for_a_char_and_null_for_absent()
    {
        var read = AllTypes.ByName(FromJson(AllTypes, """{"char":"é","charVector":[65,"b"],"string":null}"""));

        Assert.Equal('é', read["char"]);
        Assert.Equal((char[])['A', 'b'], read["charVector"]);
        Assert.Null(read["string"]);
        Assert.Contains("a one-character string; got String \"😀\"", ReadError(AllTypes, """{"char":"😀"}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_refuses_an_unknown_property_name()
    {
        Assert.Equal("Entity \"Typeful\" has no property named \"colour\".", ReadError(Typeful, """{"id":1,"colour":"red"}"""));
    }

    [Fact]
    public void Read_refuses_a_property_given_twice()
    {
        Assert.Contains("property \"id\" appears twice", ReadError(Typeful, """{"id":1,"id":2}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_refuses_something_other_than_an_object()
    {
        Assert.Equal("An object of entity \"Typeful\" must be a JSON object, got Array.", ReadError(Typeful, "[]"));
    }

    [Theory]
    [InlineData("""{"int8":"5"}""", "property \"int8\" (ID 3, Byte) (sbyte) expects a whole number from -128 to 127; got String \"5\".")]
    [InlineData("""{"int8":128}""", "property \"int8\" (ID 3, Byte) (sbyte) expects a whole number from -128 to 127; got Number 128.")]
    [InlineData("""{"uint64":-1}""", "property \"uint64\" (ID 11, Long) (ulong) expects a whole number from 0 to 18446744073709551615; got Number -1.")]
    [InlineData("""{"int64":1.5}""", "property \"int64\" (ID 6, Long) (long) expects a whole number")]
    [InlineData("""{"bool":1}""", "property \"bool\" (ID 12, Bool) (bool) expects true or false; got Number 1.")]
    [InlineData("""{"string":42}""", "property \"string\" (ID 13, String) (string) expects a string; got Number 42.")]
    [InlineData("""{"bytevector":"not base64!"}""", "property \"bytevector\" (ID 17, ByteVector) (byte[]) expects a base64 string")]
    [InlineData("""{"bytevector":[1,2]}""", "property \"bytevector\" (ID 17, ByteVector) (byte[]) expects a base64 string; got Array.")]
    [InlineData("""{"stringvector":"a"}""", "property \"stringvector\" (ID 14, StringVector) (string[]) expects an array, each element a string; got String \"a\".")]
    [InlineData("""{"stringvector":["a",1]}""", "expects an array, each element a string; got Number 1 (element 1).")]
    [InlineData("""{"float":"nan"}""", "property \"float\" (ID 21, Float) (float) expects a number within float range or \"NaN\"")]
    [InlineData("""{"float":1e39}""", "property \"float\" (ID 21, Float) (float) expects a number within float range")]
    [InlineData("""{"double":{}}""", "property \"double\" (ID 22, Double) (double) expects a number or \"NaN\", \"Infinity\", \"-Infinity\"; got Object.")]
    [InlineData("""{"string":"\ud800"}""", "property \"string\" (ID 13, String) (string) expects a string")]
    public void Read_names_the_property_and_the_expected_json_when_the_kind_is_wrong(string json, string expected)
    {
        var error = ReadError(Typeful, json);

        Assert.StartsWith("Entity \"Typeful\" ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_refuses_values_Encode_would_refuse()
    {
        using var writer = new Utf8JsonWriter(Stream.Null);

        var error = Assert.Throws<ObjectFormatException>(() =>
            ObjectJson.Write(writer, Typeful, new Dictionary<uint, object?> { [Typeful.IdOf("int8")] = "x" }));

        Assert.Contains("property \"int8\" (ID 3, Byte) expects sbyte, got a string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_zero_and_float_precision_survive_json()
    {
        var values = new Dictionary<uint, object?> { [Typeful.IdOf("float")] = -0f, [Typeful.IdOf("double")] = -0d, [Typeful.IdOf("float32")] = 16777217f, [Typeful.IdOf("float64")] = 0.30000000000000004 };

        var read = FromJson(Typeful, ToJson(Typeful, values));

        Assert.Equal(ValueText.Of(values), ValueText.Of(read));
    }
}
