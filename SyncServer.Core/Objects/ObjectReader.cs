using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using SyncServer.Core.Model;

namespace SyncServer.Core.Objects;

// An object is one FlatBuffers table; field slot = property ID - 1. All numbers little-endian; details in docs/objects.md.
//
//  0      u32  root uoffset: table position T ─────────────────────────────────┐
//  V      u16  vtable size in bytes (4 + 2 × slots)                             │
//  V+2    u16  table size in bytes (soffset + inline fields)                    │
//  V+4    u16  slot 0 (property ID 1): field offset from T, 0 = absent          │
//  V+6    u16  slot 1 (property ID 2) ...  slot k at V + 4 + 2k                 │
//  T      s32  soffset: T - V (the vtable usually lies just before the table) ◄┘
//  T+o    inline field: bool/byte 1, short/char 2, int/uint/float 4, long/ulong/double 8 bytes,
//              or u32 uoffset to a string/vector, relative to the field's own position ──┐
//  S      u32  length, then the UTF-8 bytes and a 0 terminator (string)                 ◄┘
//         u32  count, then the elements (vector; [string] holds one u32 uoffset per element)
//
// Every position, size and count is checked against the buffer before use; nothing recurses (Flex stays raw bytes).

/// <summary>
/// Bounds-checked reader of one object's table over untrusted bytes: the constructor checks the root, vtable and table
/// headers, each read checks its field. Not thread-safe (a ref struct on the caller's stack).
/// </summary>
internal readonly ref struct ObjectReader
{
    private const int UOffsetSize = 4;
    private const int VTableHeaderSize = 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly ModelEntity _entity;
    private readonly int _table;
    private readonly int _vtable;
    private readonly int _vtableSize;
    private readonly int _tableSize;

    /// <exception cref="ObjectFormatException">The root, vtable or table header is out of range.</exception>
    public ObjectReader(ModelEntity entity, ReadOnlySpan<byte> data)
    {
        _entity = entity;
        _data = data;
        if (data.Length < UOffsetSize)
        {
            throw Malformed($"{data.Length} bytes are too few to hold even the root offset");
        }

        var root = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (root > (uint)(data.Length - 4))
        {
            throw Malformed($"the root offset {root} points outside the {data.Length}-byte buffer");
        }

        _table = (int)root;
        var soffset = BinaryPrimitives.ReadInt32LittleEndian(data[_table..]);
        var vtable = (long)_table - soffset;
        if (vtable < 0 || vtable > data.Length - VTableHeaderSize)
        {
            throw Malformed($"the vtable position {vtable} (table at {_table}, soffset {soffset}) is outside the {data.Length}-byte buffer");
        }

        _vtable = (int)vtable;
        _vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(data[_vtable..]);
        if (_vtableSize < VTableHeaderSize || _vtableSize % 2 != 0 || _vtable + _vtableSize > data.Length)
        {
            throw Malformed($"the vtable at {_vtable} claims {_vtableSize} bytes; it needs an even size of at least 4 within the {data.Length}-byte buffer");
        }

        _tableSize = BinaryPrimitives.ReadUInt16LittleEndian(data[(_vtable + 2)..]);
        if (_tableSize < 4 || _table + _tableSize > data.Length)
        {
            throw Malformed($"the table at {_table} claims {_tableSize} bytes; it needs at least 4 within the {data.Length}-byte buffer");
        }
    }

    /// <summary>Reads (or, with <paramref name="materialize"/> false, only checks) one property's field.</summary>
    /// <returns>False when the field is absent.</returns>
    public bool TryRead(ModelProperty property, ValueKind kind, bool materialize, out object? value)
    {
        value = null;
        var position = FieldPosition(property, ValueKinds.InlineSize(kind));
        if (position < 0)
        {
            return false;
        }

        var field = _data[position..];
        if (ValueKinds.IsScalar(kind))
        {
            if (materialize)
            {
                value = ReadScalar(field, kind);
            }

            return true;
        }

        var (start, count) = Vector(property, position, kind, "value");
        if (kind == ValueKind.StringVector)
        {
            value = ReadStrings(property, start, count, materialize);
        }
        else if (kind == ValueKind.String)
        {
            value = ReadString(property, start, count, materialize, element: -1);
        }
        else if (materialize)
        {
            value = ReadVector(_data.Slice(start, count * ValueKinds.ElementSize(kind)), kind, count);
        }

        return true;
    }

    /// <summary>Reads a bool, char or integer field as a long: signed values sign-extended, unsigned as their bits.</summary>
    public bool TryReadInteger(ModelProperty property, ValueKind kind, out long value)
    {
        var position = FieldPosition(property, ValueKinds.InlineSize(kind));
        if (position < 0)
        {
            value = 0;
            return false;
        }

        var field = _data[position..];
        value = kind switch
        {
            ValueKind.Bool => field[0] != 0 ? 1 : 0,
            ValueKind.SByte => (sbyte)field[0],
            ValueKind.Byte => field[0],
            ValueKind.Short => BinaryPrimitives.ReadInt16LittleEndian(field),
            ValueKind.UShort or ValueKind.Char => BinaryPrimitives.ReadUInt16LittleEndian(field),
            ValueKind.Int => BinaryPrimitives.ReadInt32LittleEndian(field),
            ValueKind.UInt => BinaryPrimitives.ReadUInt32LittleEndian(field),
            ValueKind.Long or ValueKind.ULong => BinaryPrimitives.ReadInt64LittleEndian(field),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an integer-like kind"),
        };
        return true;
    }

    /// <summary>Position of the property's inline field in the buffer, or -1 when the vtable has no entry for it.</summary>
    /// <summary>Where the property's <paramref name="size"/>-byte inline field is in the buffer; -1 when absent.</summary>
    /// <exception cref="ObjectFormatException">The field lies outside the table.</exception>
    public int FieldPosition(ModelProperty property, int size)
    {
        var entry = VTableHeaderSize + (2L * property.Id.Id) - 2;
        if (property.Id.Id == 0 || entry + 2 > _vtableSize)
        {
            return -1;
        }

        int offset = BinaryPrimitives.ReadUInt16LittleEndian(_data[(_vtable + (int)entry)..]);
        if (offset == 0)
        {
            return -1;
        }

        if (offset < 4 || offset + size > _tableSize)
        {
            throw Malformed(property, $"its {size}-byte field at offset {offset} lies outside the table's {_tableSize} bytes");
        }

        return _table + offset;
    }

    /// <summary>Follows the uoffset at <paramref name="position"/> to a string or vector and checks it fits the buffer.</summary>
    /// <returns>Position of the first element and the element count (for a string: its byte length).</returns>
    private (int Start, int Count) Vector(ModelProperty property, int position, ValueKind kind, string what)
    {
        var relative = BinaryPrimitives.ReadUInt32LittleEndian(_data[position..]);
        var target = position + (long)relative;
        if (relative == 0)
        {
            throw Malformed(property, $"the {what}'s offset at {position} is 0, which would point at itself");
        }

        if (target > _data.Length - UOffsetSize)
        {
            throw Malformed(property, $"the {what}'s offset {relative} at {position} points outside the {_data.Length}-byte buffer");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(_data[(int)target..]);
        var terminator = kind == ValueKind.String ? 1 : 0;
        var end = target + UOffsetSize + ((long)count * ValueKinds.ElementSize(kind)) + terminator;
        if (end > _data.Length)
        {
            var unit = kind == ValueKind.String ? "bytes" : "elements";
            throw Malformed(property, $"the {what} at {target} claims {count} {unit}, which run past the end of the {_data.Length}-byte buffer");
        }

        if (terminator == 1 && _data[(int)end - 1] != 0)
        {
            throw Malformed(property, $"the {what} at {target} is not followed by its 0 terminator");
        }

        return ((int)target + UOffsetSize, (int)count);
    }

    private string? ReadString(ModelProperty property, int start, int length, bool materialize, int element)
    {
        var bytes = _data.Slice(start, length);
        if (materialize)
        {
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                // The position is reported below.
            }
        }
        else if (Utf8.IsValid(bytes))
        {
            return null;
        }

        var where = element < 0 ? "the string" : $"string {element}";
        throw Malformed(property, $"{where} at {start - UOffsetSize} is not valid UTF-8");
    }

    /// <remarks>
    /// Elements that point at the same bytes are read once and share one string instance, so a vector of many offsets
    /// to one long string costs a reference each, not a copy (or a UTF-8 check) each.
    /// </remarks>
    private string[]? ReadStrings(ModelProperty property, int start, int count, bool materialize)
    {
        var strings = materialize ? new string[count] : null;
        var seen = new Dictionary<int, string?>();
        for (var i = 0; i < count; i++)
        {
            var (stringStart, length) = Vector(property, start + (UOffsetSize * i), ValueKind.String, $"string {i}");
            if (!seen.TryGetValue(stringStart, out var text))
            {
                text = ReadString(property, stringStart, length, materialize, i);
                seen.Add(stringStart, text);
            }

            if (strings is not null)
            {
                strings[i] = text!;
            }
        }

        return strings;
    }

    private static object ReadScalar(ReadOnlySpan<byte> field, ValueKind kind) => kind switch
    {
        ValueKind.Bool => field[0] != 0,
        ValueKind.SByte => (sbyte)field[0],
        ValueKind.Byte => field[0],
        ValueKind.Short => BinaryPrimitives.ReadInt16LittleEndian(field),
        ValueKind.UShort => BinaryPrimitives.ReadUInt16LittleEndian(field),
        ValueKind.Char => (char)BinaryPrimitives.ReadUInt16LittleEndian(field),
        ValueKind.Int => BinaryPrimitives.ReadInt32LittleEndian(field),
        ValueKind.UInt => BinaryPrimitives.ReadUInt32LittleEndian(field),
        ValueKind.Long => BinaryPrimitives.ReadInt64LittleEndian(field),
        ValueKind.ULong => BinaryPrimitives.ReadUInt64LittleEndian(field),
        // Through the bits, so NaN payloads and -0 survive.
        ValueKind.Float => BitConverter.UInt32BitsToSingle(BinaryPrimitives.ReadUInt32LittleEndian(field)),
        _ => BitConverter.UInt64BitsToDouble(BinaryPrimitives.ReadUInt64LittleEndian(field)),
    };

    private static object ReadVector(ReadOnlySpan<byte> bytes, ValueKind kind, int count) => kind switch
    {
        ValueKind.Bytes => bytes.ToArray(),
        ValueKind.BoolVector => Elements(bytes, count, 1, static b => b[0] != 0),
        ValueKind.ShortVector => Elements(bytes, count, 2, BinaryPrimitives.ReadInt16LittleEndian),
        ValueKind.UShortVector => Elements(bytes, count, 2, BinaryPrimitives.ReadUInt16LittleEndian),
        ValueKind.CharVector => Elements(bytes, count, 2, static b => (char)BinaryPrimitives.ReadUInt16LittleEndian(b)),
        ValueKind.IntVector => Elements(bytes, count, 4, BinaryPrimitives.ReadInt32LittleEndian),
        ValueKind.UIntVector => Elements(bytes, count, 4, BinaryPrimitives.ReadUInt32LittleEndian),
        ValueKind.LongVector => Elements(bytes, count, 8, BinaryPrimitives.ReadInt64LittleEndian),
        ValueKind.ULongVector => Elements(bytes, count, 8, BinaryPrimitives.ReadUInt64LittleEndian),
        ValueKind.FloatVector => Elements(bytes, count, 4, static b => BitConverter.UInt32BitsToSingle(BinaryPrimitives.ReadUInt32LittleEndian(b))),
        ValueKind.DoubleVector => Elements(bytes, count, 8, static b => BitConverter.UInt64BitsToDouble(BinaryPrimitives.ReadUInt64LittleEndian(b))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scalar vector kind"),
    };

    private static T[] Elements<T>(ReadOnlySpan<byte> bytes, int count, int size, ReadElement<T> read)
    {
        var elements = new T[count];
        for (var i = 0; i < count; i++)
        {
            elements[i] = read(bytes.Slice(i * size, size));
        }

        return elements;
    }

    private ObjectFormatException Malformed(string what) =>
        new($"Object of entity \"{_entity.Name}\" is malformed: {what}.");

    private ObjectFormatException Malformed(ModelProperty property, string what) =>
        new($"Object of entity \"{_entity.Name}\" is malformed: {ValueKinds.Describe(property)}: {what}.");

    private delegate T ReadElement<out T>(ReadOnlySpan<byte> bytes);
}
