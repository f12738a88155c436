using System.Buffers.Binary;
using System.Diagnostics;
using Google.FlatBuffers;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Core.Tests.Objects;

/// <summary>
/// Objects come from clients over the network: malformed, truncated or hostile bytes must always end in an
/// ObjectFormatException that names the entity — never an IndexOutOfRange, a crash, a hang or a huge allocation.
/// </summary>
public class ObjectCodecHostileInputTests
{
    private static readonly ModelEntity AllTypes = ObjectTestModels.AllTypes;
    private static readonly byte[] Valid = ObjectCodec.Encode(AllTypes, AllTypes.ById(ObjectTestValues.AllTypesMax()));

    private static string DecodeError(byte[] bytes)
    {
        var error = Assert.Throws<ObjectFormatException>(() => ObjectCodec.Decode(AllTypes, bytes));
        Assert.Throws<ObjectFormatException>(() => ObjectCodec.Validate(AllTypes, bytes));
        Assert.StartsWith("Object of entity \"AllTypes\" is malformed: ", error.Message, StringComparison.Ordinal);
        return error.Message;
    }

    private static int Table(byte[] bytes) => BinaryPrimitives.ReadInt32LittleEndian(bytes);

    private static int VTable(byte[] bytes) => Table(bytes) - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Table(bytes)));

    private static int VTableEntry(byte[] bytes, string property) => VTable(bytes) + 4 + (2 * ((int)AllTypes.IdOf(property) - 1));

    /// <summary>Position of a property's inline field (for a string or vector: its uoffset).</summary>
    private static int Field(byte[] bytes, string property) =>
        Table(bytes) + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(VTableEntry(bytes, property)));

    /// <summary>Position of the length/count in front of a property's string or vector.</summary>
    private static int VectorStart(byte[] bytes, string property) =>
        Field(bytes, property) + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Field(bytes, property)));

    private static byte[] Patched(Action<byte[]> patch)
    {
        var bytes = (byte[])Valid.Clone();
        patch(bytes);
        return bytes;
    }

    [Fact]
    public void Every_truncation_of_a_valid_object_is_refused()
    {
        // "abc" + NUL fill 4 bytes, so FlatBuffers adds no padding after the first string written: the last byte is used.
        var values = ObjectTestValues.AllTypesMax();
        values["string"] = "abc";
        var valid = ObjectCodec.Encode(AllTypes, AllTypes.ById(values));
        ObjectCodec.Validate(AllTypes, valid);

        for (var length = 0; length < valid.Length; length++)
        {
            DecodeError(valid[..length]);
        }
    }

    [Fact]
    public void Truncations_cutting_used_bytes_are_refused_and_cutting_only_trailing_padding_changes_nothing()
    {
        // The first string written is padded to 4 bytes after its NUL; those zeros are legal FlatBuffers slack.
        var expected = ValueText.Of(ObjectCodec.Decode(AllTypes, Valid));
        var accepted = 0;
        for (var length = 0; length < Valid.Length; length++)
        {
            var truncated = Valid[..length];
            var error = Record.Exception(() => ObjectCodec.Decode(AllTypes, truncated));
            if (error is null)
            {
                accepted++;
                Assert.InRange(Valid.Length - length, 1, 3);
                Assert.All(Valid[length..], b => Assert.Equal(0, b));
                Assert.Equal(expected, ValueText.Of(ObjectCodec.Decode(AllTypes, truncated)));
            }
            else
            {
                Assert.IsType<ObjectFormatException>(error);
            }
        }

        Assert.InRange(accepted, 0, 3);
    }

    [Fact]
    public void A_thousand_random_buffers_are_refused()
    {
        var random = new Random(20240611);
        for (var i = 0; i < 1000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length >= 8)
            {
                // Half of them get a root offset inside the buffer, to reach the vtable checks.
                BinaryPrimitives.WriteInt32LittleEndian(bytes, random.Next(4, bytes.Length - 3));
            }

            DecodeError(bytes);
        }
    }

    [Fact]
    public void A_thousand_corruptions_of_a_valid_object_decode_or_are_refused_and_Validate_agrees()
    {
        var random = new Random(7);
        var refused = 0;
        for (var i = 0; i < 1000; i++)
        {
            var bytes = (byte[])Valid.Clone();
            for (var changes = random.Next(1, 4); changes > 0; changes--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var decodeError = Record.Exception(() => ObjectCodec.Decode(AllTypes, bytes));
            var validateError = Record.Exception(() => ObjectCodec.Validate(AllTypes, bytes));

            Assert.True(decodeError is null or ObjectFormatException, $"corruption {i}: {decodeError}");
            Assert.Equal(decodeError?.Message, validateError?.Message);
            refused += decodeError is null ? 0 : 1;
        }

        Assert.InRange(refused, 1, 999);
    }

    [Fact]
    public void A_root_offset_outside_the_buffer_is_refused()
    {
        var error = DecodeError(Patched(b => BinaryPrimitives.WriteInt32LittleEndian(b, b.Length)));

        Assert.Contains($"the root offset {Valid.Length} points outside the {Valid.Length}-byte buffer", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(-100_000)]
    [InlineData(100_000)]
    public void A_vtable_outside_the_buffer_is_refused(int soffset)
    {
        var error = DecodeError(Patched(b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(Table(b)), soffset)));

        Assert.Contains("the vtable position", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vtable_size_past_the_end_or_odd_or_too_small_is_refused()
    {
        foreach (var size in new ushort[] { ushort.MaxValue, 3, 0, 7 })
        {
            var error = DecodeError(Patched(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(VTable(b)), size)));

            Assert.Contains($"claims {size} bytes", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_table_size_past_the_end_is_refused()
    {
        var error = DecodeError(Patched(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(VTable(b) + 2), ushort.MaxValue)));

        Assert.Contains("the table at", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_offset_outside_the_table_is_refused_and_names_the_property()
    {
        var error = DecodeError(Patched(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(VTableEntry(b, "long")), 60_000)));

        Assert.Contains("property \"long\" (ID 10, Long): its 8-byte field at offset 60000 lies outside the table", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_offset_overlapping_the_soffset_is_refused()
    {
        var error = DecodeError(Patched(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(VTableEntry(b, "int")), 2)));

        Assert.Contains("property \"int\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(0xFFFF_FFFFu)]
    public void A_vector_offset_pointing_nowhere_is_refused(uint offset)
    {
        var error = DecodeError(Patched(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(Field(b, "longVector")), offset)));

        Assert.Contains("property \"longVector\" (ID 26, LongVector): the value's offset", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("longVector", 0xFFFF_FFFFu)]
    [InlineData("longVector", 0x2000_0000u)]
    [InlineData("byteVector", 0x7FFF_FFFFu)]
    [InlineData("flex", 1_000_000u)]
    [InlineData("stringVector", 0xFFFF_FFFFu)]
    [InlineData("string", 0xFFFF_FFFFu)]
    [InlineData("doubleVector", 0x8000_0000u)]
    public void A_huge_count_is_refused_before_anything_is_allocated(string property, uint count)
    {
        var error = DecodeError(Patched(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(VectorStart(b, property)), count)));

        Assert.Contains($"property \"{property}\"", error, StringComparison.Ordinal);
        Assert.Contains($"claims {count} ", error, StringComparison.Ordinal);
        Assert.Contains("run past the end", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_inside_a_string_vector_pointing_outside_is_refused()
    {
        var error = DecodeError(Patched(b =>
        {
            var element = VectorStart(b, "stringVector") + 4 + 4;
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(element), b.Length);
        }));

        Assert.Contains("property \"stringVector\" (ID 30, StringVector): the string 1's offset", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_without_its_nul_terminator_is_refused()
    {
        var error = DecodeError(Patched(b =>
        {
            var start = VectorStart(b, "string");
            var length = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(start));
            b[start + 4 + length] = (byte)'x';
        }));

        Assert.Contains("is not followed by its 0 terminator", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_that_is_not_valid_utf8_is_refused()
    {
        var error = DecodeError(Patched(b => b[VectorStart(b, "string") + 4] = 0xFF));

        Assert.Contains("property \"string\" (ID 14, String): the string at", error, StringComparison.Ordinal);
        Assert.Contains("is not valid UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_encoded_surrogate_in_utf8_is_refused()
    {
        var builder = new FlatBufferBuilder(64);
        builder.AddByte(0);
        builder.StartVector(1, 3, 1);
        builder.AddByte(0x80);
        builder.AddByte(0xA0);
        builder.AddByte(0xED); // ED A0 80 = U+D800, which UTF-8 must not encode
        var text = builder.EndVector();
        builder.StartTable((int)AllTypes.IdOf("string"));
        builder.AddOffset((int)AllTypes.IdOf("string") - 1, text.Value, 0);
        builder.Finish(builder.EndTable());

        Assert.Contains("is not valid UTF-8", DecodeError(builder.SizedByteArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_bytes_for_a_root_offset_are_refused()
    {
        Assert.Equal(
            "Object of entity \"AllTypes\" is malformed: 3 bytes are too few to hold even the root offset.",
            DecodeError([1, 2, 3]));
    }

    [Fact]
    public void Many_string_vector_entries_pointing_at_one_long_string_share_it_instead_of_copying()
    {
        var builder = new FlatBufferBuilder(1 << 20);
        var big = builder.CreateString(new string('x', 100_000));
        const int count = 50_000;
        builder.StartVector(4, count, 4);
        for (var i = 0; i < count; i++)
        {
            builder.AddOffset(big.Value);
        }

        var vector = builder.EndVector();
        var slot = (int)AllTypes.IdOf("stringVector") - 1;
        builder.StartTable(slot + 1);
        builder.AddOffset(slot, vector.Value, 0);
        builder.Finish(builder.EndTable());
        var bytes = builder.SizedByteArray();

        var stopwatch = Stopwatch.StartNew();
        var strings = (string[])ObjectCodec.Decode(AllTypes, bytes)[AllTypes.IdOf("stringVector")]!;
        ObjectCodec.Validate(AllTypes, bytes);

        Assert.Equal(count, strings.Length);
        Assert.All(strings, s => Assert.Same(strings[0], s));
        // Reading or checking the 100 kB string 50,000 times would be 5 GB of work.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"decoding and validating took {stopwatch.Elapsed}");
    }

    [Fact]
    public void A_negative_soffset_with_the_vtable_after_the_table_is_accepted()
    {
        // Hand-made: root → table at 4 (soffset -8 → vtable at 12); Project's "color" (ID 3, Int) in slot 2 at offset 4.
        byte[] bytes =
        [
            4, 0, 0, 0,                   // root uoffset
            0xF8, 0xFF, 0xFF, 0xFF,       // table: soffset -8
            42, 0, 0, 0,                  // table + 4: the int
            10, 0, 8, 0, 0, 0, 0, 0, 4, 0, // vtable: size 10, table size 8, slots 0 and 1 absent, slot 2 at 4
        ];
        var project = ModelJson.Example().Load().FindEntity("Project")!;

        var decoded = ObjectCodec.Decode(project, bytes);

        Assert.Equal(new Dictionary<uint, object?> { [3] = 42 }, decoded);
    }
}
