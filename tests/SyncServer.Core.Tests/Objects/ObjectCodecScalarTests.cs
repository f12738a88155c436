using SyncServer.Core.Model;
using SyncServer.Core.Objects;

namespace SyncServer.Core.Tests.Objects;

/// <summary>ReadId and TryReadScalar: one field, without decoding the object.</summary>
public class ObjectCodecScalarTests
{
    private static readonly ModelEntity Typeful = ObjectTestModels.Typeful;
    private static readonly ModelEntity AllTypes = ObjectTestModels.AllTypes;

    private static byte[] TypefulWith(string name, object value) =>
        ObjectCodec.Encode(Typeful, Typeful.ById(new Dictionary<string, object?> { ["id"] = 1UL, [name] = value }));

    [Fact]
    public void ReadId_returns_the_id_property_as_ulong()
    {
        var bytes = ObjectCodec.Encode(Typeful, new Dictionary<uint, object?> { [Typeful.IdProperty.Id.Id] = ulong.MaxValue });

        Assert.Equal(ulong.MaxValue, ObjectCodec.ReadId(Typeful, bytes));
        Assert.Equal(1UL, ObjectCodec.ReadId(Typeful, TypefulWith("string", "x")));
    }

    [Fact]
    public void ReadId_of_an_object_without_an_id_field_is_zero()
    {
        var bytes = ObjectCodec.Encode(Typeful, Typeful.ById(new Dictionary<string, object?> { ["int"] = 5 }));

        Assert.Equal(0UL, ObjectCodec.ReadId(Typeful, bytes));
    }

    [Theory]
    [InlineData("int8", (sbyte)-5, -5L)]
    [InlineData("int16", short.MinValue, (long)short.MinValue)]
    [InlineData("int32", int.MinValue, (long)int.MinValue)]
    [InlineData("int64", long.MinValue, long.MinValue)]
    [InlineData("uint8", byte.MaxValue, 255L)]
    [InlineData("uint16", ushort.MaxValue, 65535L)]
    [InlineData("uint32", uint.MaxValue, 4294967295L)]
    [InlineData("uint64", ulong.MaxValue, -1L)]
    [InlineData("bool", true, 1L)]
    [InlineData("bool", false, 0L)]
    public void TryReadScalar_reads_integers_signed_extended_and_unsigned_as_their_bits(string name, object value, long expected)
    {
        var found = ObjectCodec.TryReadScalar(Typeful, TypefulWith(name, value), Typeful.IdOf(name), out var read);

        Assert.True(found);
        Assert.Equal(expected, read);
    }

    [Fact]
    public void TryReadScalar_reads_dates_relations_and_chars()
    {
        var bytes = ObjectCodec.Encode(AllTypes, AllTypes.ById(new Dictionary<string, object?>
        {
            ["date"] = 1_700_000_000_123L, ["dateNano"] = -1L, ["project"] = 42UL, ["char"] = 'é',
        }));

        Assert.True(ObjectCodec.TryReadScalar(AllTypes, bytes, AllTypes.IdOf("date"), out var date));
        Assert.True(ObjectCodec.TryReadScalar(AllTypes, bytes, AllTypes.IdOf("dateNano"), out var dateNano));
        Assert.True(ObjectCodec.TryReadScalar(AllTypes, bytes, AllTypes.IdOf("project"), out var project));
        Assert.True(ObjectCodec.TryReadScalar(AllTypes, bytes, AllTypes.IdOf("char"), out var character));
        Assert.Equal(1_700_000_000_123L, date);
        Assert.Equal(-1L, dateNano);
        Assert.Equal(42L, project);
        Assert.Equal(0xE9L, character);
    }

    [Fact]
    public void TryReadScalar_of_an_absent_field_is_false_and_zero()
    {
        var found = ObjectCodec.TryReadScalar(Typeful, TypefulWith("int", 7), Typeful.IdOf("int64"), out var value);

        Assert.False(found);
        Assert.Equal(0L, value);
    }

    [Fact]
    public void TryReadScalar_refuses_a_property_the_entity_does_not_have_or_that_is_not_an_integer()
    {
        var bytes = TypefulWith("int", 7);

        var unknown = Assert.Throws<ArgumentException>(() => ObjectCodec.TryReadScalar(Typeful, bytes, 999, out _));
        var text = Assert.Throws<ArgumentException>(() => ObjectCodec.TryReadScalar(Typeful, bytes, Typeful.IdOf("string"), out _));
        var floating = Assert.Throws<ArgumentException>(() => ObjectCodec.TryReadScalar(Typeful, bytes, Typeful.IdOf("double"), out _));

        Assert.Contains("999", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("\"string\"", text.Message, StringComparison.Ordinal);
        Assert.Contains("\"double\"", floating.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadId_and_TryReadScalar_refuse_malformed_bytes()
    {
        byte[] bytes = [8, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0];

        Assert.Throws<ObjectFormatException>(() => ObjectCodec.ReadId(Typeful, bytes));
        Assert.Throws<ObjectFormatException>(() => ObjectCodec.TryReadScalar(Typeful, bytes, Typeful.IdOf("int"), out _));
    }

    [Fact]
    public void TryWriteInt64_overwrites_one_field_in_place_and_leaves_the_rest()
    {
        var bytes = ObjectCodec.Encode(Typeful, Typeful.ById(new Dictionary<string, object?> { ["id"] = 7UL, ["string"] = "keep", ["int64"] = 5L }));
        var before = (byte[])bytes.Clone();

        Assert.True(ObjectCodec.TryWriteInt64(Typeful, bytes, Typeful.IdProperty.Id.Id, 1L << 40 | 3));
        Assert.True(ObjectCodec.TryWriteInt64(Typeful, bytes, Typeful.IdOf("int64"), -9));

        Assert.Equal(before.Length, bytes.Length);
        var values = ObjectCodec.Decode(Typeful, bytes);
        Assert.Equal((1UL << 40) | 3, values[Typeful.IdProperty.Id.Id]);
        Assert.Equal(-9L, values[Typeful.IdOf("int64")]);
        Assert.Equal("keep", values[Typeful.IdOf("string")]);
        Assert.InRange(before.Zip(bytes).Count(pair => pair.First != pair.Second), 1, 16); // only the two 8-byte fields changed
    }

    [Fact]
    public void TryWriteInt64_does_not_add_an_absent_field_and_refuses_other_property_types()
    {
        var bytes = TypefulWith("int", 7);
        var before = (byte[])bytes.Clone();

        Assert.False(ObjectCodec.TryWriteInt64(Typeful, bytes, Typeful.IdOf("int64"), 1));
        Assert.Equal(before, bytes);
        Assert.Throws<ArgumentException>(() => ObjectCodec.TryWriteInt64(Typeful, bytes, Typeful.IdOf("int"), 1));
        Assert.Throws<ArgumentException>(() => ObjectCodec.TryWriteInt64(Typeful, bytes, Typeful.IdOf("string"), 1));
        Assert.Throws<ObjectFormatException>(() => ObjectCodec.TryWriteInt64(Typeful, new byte[] { 8, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0 }, Typeful.IdOf("int64"), 1));
    }

    [Fact]
    public void TryReadProperty_reads_one_field_as_Decode_types_it()
    {
        var values = new Dictionary<string, object?>
        {
            ["string"] = "héllo", ["ulong"] = ulong.MaxValue, ["double"] = -0.5, ["bool"] = true, ["longVector"] = new long[] { 1, -2 },
        };
        var bytes = ObjectCodec.Encode(AllTypes, AllTypes.ById(values));

        foreach (var (name, expected) in values)
        {
            Assert.True(ObjectCodec.TryReadProperty(AllTypes, bytes, AllTypes.IdOf(name), out var read));
            Assert.Equal(expected, read);
        }

        Assert.False(ObjectCodec.TryReadProperty(AllTypes, bytes, AllTypes.IdOf("int"), out var absent));
        Assert.Null(absent);
    }

    [Fact]
    public void TryReadProperty_refuses_an_unknown_or_untyped_property_and_malformed_bytes()
    {
        var bytes = TypefulWith("int", 7);

        Assert.Throws<ArgumentException>(() => ObjectCodec.TryReadProperty(Typeful, bytes, 999, out _));
        Assert.Throws<ArgumentException>(() => ObjectCodec.TryReadProperty(AllTypes, ObjectCodec.Encode(AllTypes, new Dictionary<uint, object?>()), AllTypes.IdOf("untyped"), out _));
        Assert.Throws<ObjectFormatException>(() => ObjectCodec.TryReadProperty(Typeful, [8, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0], Typeful.IdOf("int"), out _));
    }
}
