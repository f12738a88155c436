using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using static SyncServer.Core.Tests.Objects.ObjectTestValues;

namespace SyncServer.Core.Tests.Objects;

/// <summary>Encode then Decode gives back exactly what went in: types, bits, absent vs zero vs empty.</summary>
public class ObjectCodecRoundTripTests
{
    private static readonly ModelEntity Typeful = ObjectTestModels.Typeful;
    private static readonly ModelEntity AllTypes = ObjectTestModels.AllTypes;

    public static TheoryData<string> AllTypesValueSets() => ["min", "max", "zero"];

    private static Dictionary<string, object?> AllTypesValues(string set) => set switch
    {
        "min" => AllTypesMin(),
        "max" => AllTypesMax(),
        _ => AllTypesZero(),
    };

    private static void AssertRoundTrips(ModelEntity entity, Dictionary<uint, object?> values)
    {
        var decoded = ObjectCodec.Decode(entity, ObjectCodec.Encode(entity, values));

        Assert.Equal(ValueText.Of(values), ValueText.Of(decoded));
        Assert.All(decoded.Values, Assert.NotNull);
    }

    [Fact]
    public void Every_Typeful_property_round_trips_at_its_minimum()
    {
        var values = Typeful.ById(new Dictionary<string, object?>
        {
            ["id"] = 0UL, ["int"] = int.MinValue, ["int8"] = sbyte.MinValue, ["int16"] = short.MinValue,
            ["int32"] = int.MinValue, ["int64"] = long.MinValue, ["uint"] = 0u, ["uint8"] = (byte)0, ["uint16"] = (ushort)0,
            ["uint32"] = 0u, ["uint64"] = 0UL, ["bool"] = false, ["string"] = string.Empty, ["stringvector"] = Array.Empty<string>(),
            ["byte"] = sbyte.MinValue, ["ubyte"] = (byte)0, ["bytevector"] = Array.Empty<byte>(), ["ubytevector"] = Array.Empty<byte>(),
            ["float32"] = float.MinValue, ["float64"] = double.MinValue, ["float"] = -float.Epsilon, ["double"] = -double.Epsilon,
        });

        Assert.Equal(Typeful.Properties.Count, values.Count);
        AssertRoundTrips(Typeful, values);
    }

    [Fact]
    public void Every_Typeful_property_round_trips_at_its_maximum()
    {
        var values = Typeful.ById(new Dictionary<string, object?>
        {
            ["id"] = ulong.MaxValue, ["int"] = int.MaxValue, ["int8"] = sbyte.MaxValue, ["int16"] = short.MaxValue,
            ["int32"] = int.MaxValue, ["int64"] = long.MaxValue, ["uint"] = uint.MaxValue, ["uint8"] = byte.MaxValue,
            ["uint16"] = ushort.MaxValue, ["uint32"] = uint.MaxValue, ["uint64"] = ulong.MaxValue, ["bool"] = true,
            ["string"] = TrickyString, ["stringvector"] = new[] { string.Empty, TrickyString, "\0" },
            ["byte"] = sbyte.MaxValue, ["ubyte"] = byte.MaxValue, ["bytevector"] = new byte[] { 0, 128, 255 },
            ["ubytevector"] = new byte[] { 255, 0 }, ["float32"] = float.MaxValue, ["float64"] = double.MaxValue,
            ["float"] = float.PositiveInfinity, ["double"] = double.NegativeInfinity,
        });

        AssertRoundTrips(Typeful, values);
    }

    [Fact]
    public void Typeful_floats_keep_nan_payloads_and_negative_zero_bit_for_bit()
    {
        for (var i = 0; i < SpecialFloats.Length; i++)
        {
            var values = Typeful.ById(new Dictionary<string, object?>
            {
                ["float32"] = SpecialFloats[i], ["float"] = SpecialFloats[^(i + 1)],
                ["float64"] = SpecialDoubles[i], ["double"] = SpecialDoubles[^(i + 1)],
            });

            var decoded = ObjectCodec.Decode(Typeful, ObjectCodec.Encode(Typeful, values));

            Assert.Equal(BitConverter.SingleToUInt32Bits(SpecialFloats[i]), BitConverter.SingleToUInt32Bits((float)decoded[Typeful.IdOf("float32")]!));
            Assert.Equal(BitConverter.SingleToUInt32Bits(SpecialFloats[^(i + 1)]), BitConverter.SingleToUInt32Bits((float)decoded[Typeful.IdOf("float")]!));
            Assert.Equal(BitConverter.DoubleToUInt64Bits(SpecialDoubles[i]), BitConverter.DoubleToUInt64Bits((double)decoded[Typeful.IdOf("float64")]!));
            Assert.Equal(BitConverter.DoubleToUInt64Bits(SpecialDoubles[^(i + 1)]), BitConverter.DoubleToUInt64Bits((double)decoded[Typeful.IdOf("double")]!));
        }
    }

    [Theory]
    [MemberData(nameof(AllTypesValueSets))]
    public void Every_property_type_round_trips_with_its_clr_type(string set)
    {
        var values = AllTypes.ById(AllTypesValues(set));

        // Every typed property of AllTypes is set; only "untyped" (PropertyType.Unknown) is left out.
        Assert.Equal(AllTypes.Properties.Count - 1, values.Count);
        AssertRoundTrips(AllTypes, values);
    }

    [Fact]
    public void Decoded_values_have_the_documented_clr_types()
    {
        var decoded = AllTypes.ByName(ObjectCodec.Decode(AllTypes, ObjectCodec.Encode(AllTypes, AllTypes.ById(AllTypesZero()))));

        var types = decoded.ToDictionary(pair => pair.Key, pair => pair.Value!.GetType());
        Assert.Equal(typeof(ulong), types["id"]);
        Assert.Equal(typeof(bool), types["bool"]);
        Assert.Equal(typeof(sbyte), types["byte"]);
        Assert.Equal(typeof(byte), types["ubyte"]);
        Assert.Equal(typeof(short), types["short"]);
        Assert.Equal(typeof(ushort), types["ushort"]);
        Assert.Equal(typeof(char), types["char"]);
        Assert.Equal(typeof(int), types["int"]);
        Assert.Equal(typeof(uint), types["uint"]);
        Assert.Equal(typeof(long), types["long"]);
        Assert.Equal(typeof(ulong), types["ulong"]);
        Assert.Equal(typeof(float), types["float"]);
        Assert.Equal(typeof(double), types["double"]);
        Assert.Equal(typeof(string), types["string"]);
        Assert.Equal(typeof(long), types["date"]);
        Assert.Equal(typeof(ulong), types["project"]);
        Assert.Equal(typeof(long), types["dateNano"]);
        Assert.Equal(typeof(byte[]), types["flex"]);
        Assert.Equal(typeof(bool[]), types["boolVector"]);
        Assert.Equal(typeof(byte[]), types["byteVector"]);
        Assert.Equal(typeof(short[]), types["shortVector"]);
        Assert.Equal(typeof(ushort[]), types["ushortVector"]);
        Assert.Equal(typeof(char[]), types["charVector"]);
        Assert.Equal(typeof(int[]), types["intVector"]);
        Assert.Equal(typeof(uint[]), types["uintVector"]);
        Assert.Equal(typeof(long[]), types["longVector"]);
        Assert.Equal(typeof(ulong[]), types["ulongVector"]);
        Assert.Equal(typeof(float[]), types["floatVector"]);
        Assert.Equal(typeof(double[]), types["doubleVector"]);
        Assert.Equal(typeof(string[]), types["stringVector"]);
        Assert.Equal(typeof(long[]), types["dateVector"]);
        Assert.Equal(typeof(long[]), types["dateNanoVector"]);
    }

    [Fact]
    public void Absent_zero_and_empty_are_three_different_things()
    {
        var absent = ObjectCodec.Decode(AllTypes, ObjectCodec.Encode(AllTypes, new Dictionary<uint, object?>()));
        var zero = AllTypes.ByName(ObjectCodec.Decode(AllTypes, ObjectCodec.Encode(AllTypes, AllTypes.ById(AllTypesZero()))));

        Assert.Empty(absent);
        Assert.Equal(0L, zero["long"]);
        Assert.Equal(false, zero["bool"]);
        Assert.Equal(0f, zero["float"]);
        Assert.Equal(string.Empty, zero["string"]);
        Assert.Equal(Array.Empty<string>(), zero["stringVector"]);
        Assert.Equal(Array.Empty<byte>(), zero["flex"]);
    }

    [Fact]
    public void A_null_value_and_a_missing_key_both_leave_the_field_absent()
    {
        var values = new Dictionary<uint, object?>
        {
            [AllTypes.IdOf("string")] = null,
            [AllTypes.IdOf("long")] = 5L,
            [AllTypes.IdOf("untyped")] = null,
        };

        var decoded = ObjectCodec.Decode(AllTypes, ObjectCodec.Encode(AllTypes, values));

        Assert.Equal(new Dictionary<uint, object?> { [AllTypes.IdOf("long")] = 5L }, decoded);
    }

    [Fact]
    public void Strings_keep_embedded_nul_and_surrogate_pairs()
    {
        string[] strings = ["😀😀", "𝄞\0𝄞", "\u0000\u0000", "日本語"];
        var values = new Dictionary<uint, object?> { [AllTypes.IdOf("string")] = "\0", [AllTypes.IdOf("stringVector")] = strings };

        var decoded = ObjectCodec.Decode(AllTypes, ObjectCodec.Encode(AllTypes, values));

        Assert.Equal("\0", decoded[AllTypes.IdOf("string")]);
        Assert.Equal(strings, decoded[AllTypes.IdOf("stringVector")]);
    }

    [Fact]
    public void Other_integer_types_are_accepted_when_the_value_fits()
    {
        var values = AllTypes.ById(new Dictionary<string, object?>
        {
            ["id"] = 7, ["long"] = 42, ["ulong"] = (byte)200, ["byte"] = 100L, ["ushort"] = 65535, ["uint"] = (ulong)uint.MaxValue,
            ["date"] = int.MinValue, ["project"] = 3u,
        });

        var decoded = AllTypes.ByName(ObjectCodec.Decode(AllTypes, ObjectCodec.Encode(AllTypes, values)));

        Assert.Equal(7UL, decoded["id"]);
        Assert.Equal(42L, decoded["long"]);
        Assert.Equal(200UL, decoded["ulong"]);
        Assert.Equal((sbyte)100, decoded["byte"]);
        Assert.Equal(ushort.MaxValue, decoded["ushort"]);
        Assert.Equal(uint.MaxValue, decoded["uint"]);
        Assert.Equal((long)int.MinValue, decoded["date"]);
        Assert.Equal(3UL, decoded["project"]);
    }

    [Fact]
    public void Validate_accepts_what_Encode_writes()
    {
        foreach (var set in new[] { "min", "max", "zero" })
        {
            ObjectCodec.Validate(AllTypes, ObjectCodec.Encode(AllTypes, AllTypes.ById(AllTypesValues(set))));
        }
    }

    [Fact]
    public void Repeated_strings_in_a_string_vector_come_back_equal()
    {
        string[] strings = ["same", "same", "same"];
        var values = new Dictionary<uint, object?> { [AllTypes.IdOf("stringVector")] = strings };

        var decoded = (string[])ObjectCodec.Decode(AllTypes, ObjectCodec.Encode(AllTypes, values))[AllTypes.IdOf("stringVector")]!;

        Assert.Equal(strings, decoded);
    }
}
