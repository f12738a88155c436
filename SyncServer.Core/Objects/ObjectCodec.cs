using System.Globalization;
using Google.FlatBuffers;
using SyncServer.Core.Model;

namespace SyncServer.Core.Objects;

/// <summary>
/// TEMPORARY STUB until branch objects is merged (it is deleted before that merge): just enough FlatBuffers for the sync
/// engine's tests. Property ID n is vtable slot n - 1.
/// </summary>
public static class ObjectCodec
{
    public static byte[] Encode(ModelEntity entity, IReadOnlyDictionary<uint, object?> values)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(values);
        var builder = new FlatBufferBuilder(256);
        var offsets = new Dictionary<uint, int>();
        foreach (var (id, value) in values)
        {
            switch (value)
            {
                case string text:
                    offsets[id] = builder.CreateString(text).Value;
                    break;
                case byte[] bytes:
                    builder.StartVector(1, bytes.Length, 1);
                    for (var i = bytes.Length - 1; i >= 0; i--)
                    {
                        builder.PutByte(bytes[i]);
                    }

                    offsets[id] = builder.EndVector().Value;
                    break;
            }
        }

        var slots = entity.Properties.Count == 0 ? 0 : (int)entity.Properties.Max(p => p.Id.Id);
        builder.StartTable(Math.Max(slots, (int)values.Keys.DefaultIfEmpty(0u).Max()));
        foreach (var (id, value) in values)
        {
            if (value is null)
            {
                continue;
            }

            var slot = (int)id - 1;
            var type = entity.FindProperty(id)?.Type ?? PropertyType.Long;
            if (offsets.TryGetValue(id, out var offset))
            {
                builder.AddOffset(slot, offset, 0);
                continue;
            }

            switch (type)
            {
                case PropertyType.Bool: builder.AddBool(slot, Convert.ToBoolean(value, CultureInfo.InvariantCulture), false); builder.Slot(slot); break;
                case PropertyType.Byte: builder.AddSbyte(slot, Convert.ToSByte(value, CultureInfo.InvariantCulture), 0); break;
                case PropertyType.Short: builder.AddShort(slot, Convert.ToInt16(value, CultureInfo.InvariantCulture), 0); break;
                case PropertyType.Char: builder.AddUshort(slot, Convert.ToUInt16(value, CultureInfo.InvariantCulture), 0); break;
                case PropertyType.Int: builder.AddInt(slot, Convert.ToInt32(value, CultureInfo.InvariantCulture), 0); break;
                case PropertyType.Float: builder.AddFloat(slot, Convert.ToSingle(value, CultureInfo.InvariantCulture), 0); break;
                case PropertyType.Double: builder.AddDouble(slot, Convert.ToDouble(value, CultureInfo.InvariantCulture), 0); break;
                default: builder.AddLong(slot, value is ulong u ? unchecked((long)u) : Convert.ToInt64(value, CultureInfo.InvariantCulture), 0); break;
            }

            builder.Slot(slot);
        }

        builder.Finish(builder.EndTable());
        return builder.SizedByteArray();
    }

    public static Dictionary<uint, object?> Decode(ModelEntity entity, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var table = Open(data);
        var values = new Dictionary<uint, object?>();
        foreach (var property in entity.Properties)
        {
            var o = table.__offset(4 + (2 * ((int)property.Id.Id - 1)));
            if (o == 0)
            {
                continue;
            }

            var at = table.bb_pos + o;
            var bb = table.bb;
            values[property.Id.Id] = property.Type switch
            {
                PropertyType.Bool => bb.Get(at) != 0,
                PropertyType.Byte => bb.GetSbyte(at),
                PropertyType.Short => bb.GetShort(at),
                PropertyType.Char => bb.GetUshort(at),
                PropertyType.Int => bb.GetInt(at),
                PropertyType.Float => bb.GetFloat(at),
                PropertyType.Double => bb.GetDouble(at),
                PropertyType.String => table.__string(at),
                PropertyType.ByteVector => table.__vector_as_array<byte>(o),
                _ => bb.GetLong(at),
            };
        }

        return values;
    }

    public static void Validate(ModelEntity entity, ReadOnlySpan<byte> data) => Decode(entity, data);

    public static ulong ReadId(ModelEntity entity, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return TryReadScalar(entity, data, entity.IdProperty.Id.Id, out var value) ? unchecked((ulong)value) : 0;
    }

    public static bool TryReadScalar(ModelEntity entity, ReadOnlySpan<byte> data, uint propertyId, out long value)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var values = Decode(entity, data);
        if (values.TryGetValue(propertyId, out var raw) && raw is not null and not string and not byte[])
        {
            value = raw is bool b ? (b ? 1 : 0) : Convert.ToInt64(raw, CultureInfo.InvariantCulture);
            return true;
        }

        value = 0;
        return false;
    }

    public static byte[] Merge(ModelEntity full, ReadOnlySpan<byte> stored, ReadOnlySpan<byte> incoming, ModelEntity incomingEntity)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(incomingEntity);
        var merged = Decode(full, stored);
        var update = Decode(incomingEntity, incoming);
        foreach (var property in incomingEntity.Properties)
        {
            if (update.TryGetValue(property.Id.Id, out var value))
            {
                merged[property.Id.Id] = value;
            }
            else
            {
                merged.Remove(property.Id.Id);
            }
        }

        return Encode(full, merged);
    }

    private static Table Open(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
        {
            throw new ObjectFormatException($"{data.Length} bytes are too short for a FlatBuffers table");
        }

        var bb = new ByteBuffer(data.ToArray());
        var root = bb.GetInt(0);
        if (root < 4 || root > data.Length - 4)
        {
            throw new ObjectFormatException($"root offset {root} is outside the {data.Length} bytes");
        }

        var vtable = root - bb.GetInt(root);
        if (vtable < 0 || vtable > data.Length - 4 || bb.GetShort(vtable) < 4 || vtable + bb.GetShort(vtable) > data.Length)
        {
            throw new ObjectFormatException("vtable is outside the data");
        }

        return new Table(root, bb);
    }
}
