using SyncServer.Core.Model;

namespace SyncServer.Core.Objects;

/// <summary>
/// Reads and writes objects in ObjectBox's format: one FlatBuffers table per object, the field of a property in slot
/// <c>property ID - 1</c>, so any property is readable from the model alone, without generated code. Values are keyed by
/// property ID (<c>property.Id.Id</c>). Stateless and thread-safe. Layout and type mapping: docs/objects.md.
/// </summary>
/// <remarks>
/// <para>CLR types by <see cref="PropertyType"/> (UNSIGNED flag in brackets):
/// Bool → bool; Byte → sbyte (byte); Short → short (ushort); Char → char (a 16-bit unsigned field);
/// Int → int (uint); Long → long (ulong), but the ID property (flag ID) is always ulong; Float → float;
/// Double → double; String → string; Date → long (ms since the epoch); Relation (ToOne) → ulong (target ID, 0 = none);
/// DateNano → long (ns); Flex → byte[] (the raw FlexBuffers bytes in a [ubyte] vector); BoolVector → bool[];
/// ByteVector → byte[]; ShortVector → short[] (ushort[]); CharVector → char[]; IntVector → int[] (uint[]);
/// LongVector → long[] (ulong[]); FloatVector → float[]; DoubleVector → double[]; StringVector → string[];
/// DateVector and DateNanoVector → long[]. <see cref="PropertyType.Unknown"/> properties are skipped when decoding
/// and refused when encoding.</para>
/// <para>Decoding treats its input as hostile: every offset, size and count is checked, strings must be valid UTF-8,
/// and any problem is an <see cref="ObjectFormatException"/> naming the entity (and property) and what is wrong.</para>
/// </remarks>
public static class ObjectCodec
{
    /// <summary>Encodes an object. Zero, false and empty values are written; only a missing key or null leaves a field absent.</summary>
    /// <param name="values">Property ID → value of the mapped CLR type; for integer properties any integer type whose value fits.</param>
    /// <exception cref="ObjectFormatException">A key that is no property of the entity, a property without a type, a
    /// value of the wrong type or out of range, a null element in a string[], or a string with a lone surrogate.</exception>
    public static byte[] Encode(ModelEntity entity, IReadOnlyDictionary<uint, object?> values) =>
        ObjectWriter.Write(entity, ObjectValues.Normalize(entity, values));

    /// <summary>
    /// Decodes the properties of <paramref name="entity"/> that are present in <paramref name="data"/>. Fields the entity
    /// does not know (written by a newer schema version) are ignored.
    /// </summary>
    /// <exception cref="ObjectFormatException">The bytes are malformed, truncated or not valid for the entity.</exception>
    public static Dictionary<uint, object?> Decode(ModelEntity entity, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var reader = new ObjectReader(entity, data);
        var values = new Dictionary<uint, object?>();
        foreach (var property in entity.Properties)
        {
            var kind = ValueKinds.Of(property);
            if (kind != ValueKind.None && reader.TryRead(property, kind, materialize: true, out var value))
            {
                values[property.Id.Id] = value;
            }
        }

        return values;
    }

    /// <summary>Checks everything <see cref="Decode"/> checks, without building the values.</summary>
    /// <exception cref="ObjectFormatException">The bytes are malformed, truncated or not valid for the entity.</exception>
    public static void Validate(ModelEntity entity, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var reader = new ObjectReader(entity, data);
        foreach (var property in entity.Properties)
        {
            var kind = ValueKinds.Of(property);
            if (kind != ValueKind.None)
            {
                reader.TryRead(property, kind, materialize: false, out _);
            }
        }
    }

    /// <summary>The object's ID (the property flagged ID); 0 when the field is absent. Reads only that field.</summary>
    /// <exception cref="ObjectFormatException">The headers or the ID field are malformed.</exception>
    public static ulong ReadId(ModelEntity entity, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var property = entity.IdProperty;
        var kind = ValueKinds.Of(property);
        if (!ValueKinds.IsIntegerLike(kind))
        {
            throw new ObjectFormatException(
                $"Entity \"{entity.Name}\" ID {ValueKinds.Describe(property)} is not an integer; an ID must be a Long.");
        }

        return new ObjectReader(entity, data).TryReadInteger(property, kind, out var id) ? unchecked((ulong)id) : 0;
    }

    /// <summary>
    /// Reads one bool, char or integer property (Bool, Byte, Short, Char, Int, Long, Date, Relation, DateNano) as a long,
    /// e.g. a SYNC_CLOCK or SYNC_PRECEDENCE value. Signed values are sign-extended; unsigned ones keep their bits (a
    /// uint is zero-extended, a ulong above long.MaxValue comes back negative); bool is 0 or 1. Reads only that field.
    /// </summary>
    /// <returns>False when the field is absent (<paramref name="value"/> is then 0).</returns>
    /// <exception cref="ArgumentException">The entity has no such property, or it is not integer-like.</exception>
    /// <exception cref="ObjectFormatException">The headers or the field are malformed.</exception>
    public static bool TryReadScalar(ModelEntity entity, ReadOnlySpan<byte> data, uint propertyId, out long value)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var property = entity.FindProperty(propertyId)
            ?? throw new ArgumentException($"Entity \"{entity.Name}\" has no property with ID {propertyId}.", nameof(propertyId));
        var kind = ValueKinds.Of(property);
        if (!ValueKinds.IsIntegerLike(kind))
        {
            throw new ArgumentException(
                $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)} is not a bool, char or integer property.", nameof(propertyId));
        }

        return new ObjectReader(entity, data).TryReadInteger(property, kind, out value);
    }

    /// <summary>
    /// Overwrites one 8-byte integer field (Long, Date, Relation, DateNano: e.g. the ID) in place, leaving every other byte
    /// as it is: to translate an object's ID without decoding and re-encoding the whole object. Checks the headers and that
    /// field only, as <see cref="TryReadScalar"/> does.
    /// </summary>
    /// <returns>False when the field is absent (nothing is written: an absent field cannot be added in place).</returns>
    /// <exception cref="ArgumentException">The entity has no such property, or it is not an 8-byte integer property.</exception>
    /// <exception cref="ObjectFormatException">The headers or the field are malformed.</exception>
    public static bool TryWriteInt64(ModelEntity entity, Span<byte> data, uint propertyId, long value)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var property = entity.FindProperty(propertyId)
            ?? throw new ArgumentException($"Entity \"{entity.Name}\" has no property with ID {propertyId}.", nameof(propertyId));
        var kind = ValueKinds.Of(property);
        if (!ValueKinds.IsIntegerLike(kind) || ValueKinds.InlineSize(kind) != sizeof(long))
        {
            throw new ArgumentException(
                $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)} is not an 8-byte integer property.", nameof(propertyId));
        }

        var position = new ObjectReader(entity, data).FieldPosition(property, sizeof(long));
        if (position < 0)
        {
            return false;
        }

        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(data[position..], value);
        return true;
    }

    /// <summary>
    /// Reads one property's value, of the CLR type <see cref="Decode"/> gives it (e.g. to sort objects by that property).
    /// Checks the headers and that field only, so it costs one field, not the whole object.
    /// </summary>
    /// <returns>False when the field is absent (<paramref name="value"/> is then null).</returns>
    /// <exception cref="ArgumentException">The entity has no such property, or it has no type.</exception>
    /// <exception cref="ObjectFormatException">The headers or the field are malformed.</exception>
    public static bool TryReadProperty(ModelEntity entity, ReadOnlySpan<byte> data, uint propertyId, out object? value)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var property = entity.FindProperty(propertyId)
            ?? throw new ArgumentException($"Entity \"{entity.Name}\" has no property with ID {propertyId}.", nameof(propertyId));
        var kind = ValueKinds.Of(property);
        if (kind == ValueKind.None)
        {
            throw new ArgumentException($"Entity \"{entity.Name}\" {ValueKinds.Describe(property)} has no type to read.", nameof(propertyId));
        }

        return new ObjectReader(entity, data).TryRead(property, kind, materialize: true, out value);
    }

    /// <summary>
    /// Re-encodes an object of <paramref name="source"/> keeping only the properties <paramref name="target"/> has (matched
    /// by property ID), e.g. to serve a client on an older schema version.
    /// </summary>
    /// <exception cref="ObjectFormatException">The bytes are malformed for <paramref name="source"/>, or a value does not fit
    /// the target's property of the same ID.</exception>
    public static byte[] Project(ModelEntity target, ReadOnlySpan<byte> data, ModelEntity source)
    {
        ArgumentNullException.ThrowIfNull(target);
        var kept = new Dictionary<uint, object?>();
        foreach (var (id, value) in Decode(source, data))
        {
            if (target.FindProperty(id) is not null)
            {
                kept[id] = value;
            }
        }

        return Encode(target, kept);
    }

    /// <summary>
    /// Combines an incoming object from a client on schema <paramref name="incomingEntity"/> with the stored object on the
    /// current schema <paramref name="full"/>: every property the client knows takes the incoming value (absent stays
    /// absent), every property only <paramref name="full"/> knows keeps its stored value, so a client on an older
    /// schema version does not wipe properties it has never heard of. Incoming properties <paramref name="full"/> no
    /// longer has are dropped. An empty <paramref name="stored"/> means there is no stored object.
    /// </summary>
    /// <exception cref="ObjectFormatException">Either buffer is malformed for its entity, or an incoming value does not fit
    /// <paramref name="full"/>'s property of the same ID.</exception>
    public static byte[] Merge(ModelEntity full, ReadOnlySpan<byte> stored, ReadOnlySpan<byte> incoming, ModelEntity incomingEntity)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(incomingEntity);
        var merged = new Dictionary<uint, object?>();
        if (!stored.IsEmpty)
        {
            foreach (var (id, value) in Decode(full, stored))
            {
                if (incomingEntity.FindProperty(id) is null)
                {
                    merged[id] = value;
                }
            }
        }

        foreach (var (id, value) in Decode(incomingEntity, incoming))
        {
            if (full.FindProperty(id) is not null)
            {
                merged[id] = value;
            }
        }

        return Encode(full, merged);
    }
}
