using System.Buffers.Binary;
using Google.FlatBuffers;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Core.Tests.Objects;

/// <summary>The bytes are ObjectBox's layout: a FlatBuffers table whose field slot is the property ID - 1.</summary>
public class ObjectCodecLayoutTests
{
    private static readonly ModelEntity Counter = CounterEntity();

    /// <summary>"Counter": id (ID 1), label String (ID 2), count Long (ID 3), flag Bool (ID 4).</summary>
    private static ModelEntity CounterEntity()
    {
        var json = ModelJson.Example();
        json.AddEntity("Counter");
        json.AddProperty("Counter", "label", PropertyType.String);
        json.AddProperty("Counter", "count", PropertyType.Long);
        json.AddProperty("Counter", "flag", PropertyType.Bool);
        return json.Load().FindEntity("Counter")!;
    }

    [Fact]
    public void A_property_with_ID_3_is_read_from_vtable_slot_2()
    {
        var builder = new FlatBufferBuilder(64) { ForceDefaults = true };
        builder.StartTable(3);
        builder.AddLong(2, -1234567890123L, 0);
        builder.Finish(builder.EndTable());

        var decoded = ObjectCodec.Decode(Counter, builder.SizedByteArray());

        Assert.Equal(3u, Counter.IdOf("count"));
        Assert.Equal(new Dictionary<uint, object?> { [3] = -1234567890123L }, decoded);
    }

    [Fact]
    public void Encode_puts_a_property_with_ID_3_in_vtable_slot_2_and_leaves_absent_slots_zero()
    {
        var bytes = ObjectCodec.Encode(Counter, new Dictionary<uint, object?> { [3] = 0x0102030405060708L });

        var table = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var vtable = table - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(table));
        var vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable));
        var slot = (int vtableEntry) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable + 4 + (2 * vtableEntry)));

        Assert.Equal(4 + (2 * 3), vtableSize); // three slots: trailing absent slots are trimmed, earlier ones kept as 0
        Assert.Equal(0, slot(0));
        Assert.Equal(0, slot(1));
        Assert.NotEqual(0, slot(2));
        Assert.Equal(0x0102030405060708L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(table + slot(2))));
    }

    [Fact]
    public void Zero_and_false_are_written_so_they_differ_from_absent()
    {
        var zero = ObjectCodec.Encode(Counter, new Dictionary<uint, object?> { [3] = 0L, [4] = false });
        var absent = ObjectCodec.Encode(Counter, new Dictionary<uint, object?>());

        Assert.True(zero.Length > absent.Length);
        Assert.Equal(new Dictionary<uint, object?> { [3] = 0L, [4] = false }, ObjectCodec.Decode(Counter, zero));
        Assert.Empty(ObjectCodec.Decode(Counter, absent));
    }

    [Fact]
    public void A_string_is_a_length_prefixed_nul_terminated_utf8_vector()
    {
        var bytes = ObjectCodec.Encode(Counter, new Dictionary<uint, object?> { [2] = "hé" });

        var table = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var vtable = table - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(table));
        var field = table + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable + 4 + 2));
        var text = field + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(field));

        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(text)));
        Assert.Equal(new byte[] { (byte)'h', 0xC3, 0xA9, 0 }, bytes.AsSpan(text + 4, 4).ToArray());
    }

    [Fact]
    public void Bytes_written_by_a_plain_FlatBufferBuilder_decode_with_every_kind_of_field()
    {
        var builder = new FlatBufferBuilder(64);
        var label = builder.CreateString("counter");
        builder.StartTable(4);
        builder.AddUlong(0, 99, 0);
        builder.AddLong(2, 5, 0);
        builder.AddOffset(1, label.Value, 0);
        builder.AddBool(3, true, false);
        builder.Finish(builder.EndTable());

        var decoded = Counter.ByName(ObjectCodec.Decode(Counter, builder.SizedByteArray()));

        Assert.Equal(99UL, decoded["id"]);
        Assert.Equal("counter", decoded["label"]);
        Assert.Equal(5L, decoded["count"]);
        Assert.Equal(true, decoded["flag"]);
    }
}
