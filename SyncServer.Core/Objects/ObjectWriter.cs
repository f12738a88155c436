using Google.FlatBuffers;
using SyncServer.Core.Model;

namespace SyncServer.Core.Objects;

/// <summary>
/// Builds the FlatBuffers table of one object with Google.FlatBuffers' <see cref="FlatBufferBuilder"/>, field slot =
/// property ID - 1 (layout in docs/objects.md). Stateless; a builder per call.
/// </summary>
internal static class ObjectWriter
{
    /// <summary>
    /// The highest property ID a table can hold: the vtable is at most 65535 bytes, 4 bytes of header and 2 per slot.
    /// </summary>
    public const uint MaxPropertyId = (ushort.MaxValue - 4) / 2;

    private const int TableHeaderSize = 4;
    private const int MaxAlignmentPadding = 8;

    /// <param name="values">Normalised values (see <see cref="ObjectValues"/>); nulls are left out (absent fields).</param>
    public static byte[] Write(ModelEntity entity, IEnumerable<(ModelProperty Property, ValueKind Kind, object? Value)> values)
    {
        var fields = new List<(ModelProperty Property, ValueKind Kind, object Value)>();
        foreach (var (property, kind, value) in values)
        {
            if (value is not null)
            {
                fields.Add((property, kind, value));
            }
        }

        var builder = new FlatBufferBuilder(256) { ForceDefaults = true };

        // Strings and vectors first: FlatBuffers forbids building them while a table is open.
        var offsets = new int[fields.Count];
        var slots = 0;
        var inlineSize = TableHeaderSize + MaxAlignmentPadding;
        for (var i = 0; i < fields.Count; i++)
        {
            var (property, kind, value) = fields[i];
            if (property.Id.Id is 0 or > MaxPropertyId)
            {
                throw new ObjectFormatException(
                    $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)}: a FlatBuffers table holds property IDs 1 to {MaxPropertyId}.");
            }

            slots = Math.Max(slots, (int)property.Id.Id);
            inlineSize += ValueKinds.InlineSize(kind);
            if (!ValueKinds.IsScalar(kind))
            {
                offsets[i] = WriteVector(builder, kind, value);
            }
        }

        if (inlineSize > ushort.MaxValue)
        {
            throw new ObjectFormatException(
                $"Entity \"{entity.Name}\": the object's inline fields need {inlineSize} bytes; a FlatBuffers table holds at most {ushort.MaxValue}.");
        }

        builder.StartTable(slots);
        // Largest first, so the fields pack without padding between them.
        foreach (var size in (ReadOnlySpan<int>)[8, 4, 2, 1])
        {
            for (var i = 0; i < fields.Count; i++)
            {
                var (property, kind, value) = fields[i];
                if (ValueKinds.InlineSize(kind) == size)
                {
                    AddField(builder, (int)property.Id.Id - 1, kind, value, offsets[i]);
                }
            }
        }

        builder.Finish(builder.EndTable());
        return builder.SizedByteArray();
    }

    private static void AddField(FlatBufferBuilder builder, int slot, ValueKind kind, object value, int offset)
    {
        switch (kind)
        {
            case ValueKind.Bool: builder.AddBool(slot, (bool)value, false); break;
            case ValueKind.SByte: builder.AddSbyte(slot, (sbyte)value, 0); break;
            case ValueKind.Byte: builder.AddByte(slot, (byte)value, 0); break;
            case ValueKind.Short: builder.AddShort(slot, (short)value, 0); break;
            case ValueKind.UShort: builder.AddUshort(slot, (ushort)value, 0); break;
            case ValueKind.Char: builder.AddUshort(slot, (char)value, 0); break;
            case ValueKind.Int: builder.AddInt(slot, (int)value, 0); break;
            case ValueKind.UInt: builder.AddUint(slot, (uint)value, 0); break;
            case ValueKind.Long: builder.AddLong(slot, (long)value, 0); break;
            case ValueKind.ULong: builder.AddUlong(slot, (ulong)value, 0); break;
            // Floats go in as their bits: no conversion can touch a NaN payload or the sign of zero.
            case ValueKind.Float: builder.AddUint(slot, BitConverter.SingleToUInt32Bits((float)value), 0); break;
            case ValueKind.Double: builder.AddUlong(slot, BitConverter.DoubleToUInt64Bits((double)value), 0); break;
            default: builder.AddOffset(slot, offset, 0); break;
        }
    }

    private static int WriteVector(FlatBufferBuilder builder, ValueKind kind, object value)
    {
        switch (kind)
        {
            case ValueKind.String:
                return builder.CreateString((string)value).Value;
            case ValueKind.StringVector:
                var strings = (string[])value;
                var stringOffsets = new int[strings.Length];
                for (var i = 0; i < strings.Length; i++)
                {
                    stringOffsets[i] = builder.CreateString(strings[i]).Value;
                }

                return WriteElements(builder, kind, stringOffsets, static (b, offset) => b.AddOffset(offset));
            case ValueKind.Bytes:
                return WriteElements(builder, kind, (byte[])value, static (b, x) => b.AddByte(x));
            case ValueKind.BoolVector:
                return WriteElements(builder, kind, (bool[])value, static (b, x) => b.AddBool(x));
            case ValueKind.ShortVector:
                return WriteElements(builder, kind, (short[])value, static (b, x) => b.AddShort(x));
            case ValueKind.UShortVector:
                return WriteElements(builder, kind, (ushort[])value, static (b, x) => b.AddUshort(x));
            case ValueKind.CharVector:
                return WriteElements(builder, kind, (char[])value, static (b, x) => b.AddUshort(x));
            case ValueKind.IntVector:
                return WriteElements(builder, kind, (int[])value, static (b, x) => b.AddInt(x));
            case ValueKind.UIntVector:
                return WriteElements(builder, kind, (uint[])value, static (b, x) => b.AddUint(x));
            case ValueKind.LongVector:
                return WriteElements(builder, kind, (long[])value, static (b, x) => b.AddLong(x));
            case ValueKind.ULongVector:
                return WriteElements(builder, kind, (ulong[])value, static (b, x) => b.AddUlong(x));
            case ValueKind.FloatVector:
                return WriteElements(builder, kind, (float[])value, static (b, x) => b.AddUint(BitConverter.SingleToUInt32Bits(x)));
            case ValueKind.DoubleVector:
                return WriteElements(builder, kind, (double[])value, static (b, x) => b.AddUlong(BitConverter.DoubleToUInt64Bits(x)));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a string or vector kind");
        }
    }

    /// <summary>A FlatBuffers vector: elements are prepended, so they go in back to front.</summary>
    private static int WriteElements<T>(FlatBufferBuilder builder, ValueKind kind, T[] elements, Action<FlatBufferBuilder, T> add)
    {
        var size = ValueKinds.ElementSize(kind);
        builder.StartVector(size, elements.Length, size);
        for (var i = elements.Length - 1; i >= 0; i--)
        {
            add(builder, elements[i]);
        }

        return builder.EndVector().Value;
    }
}
