using SyncServer.Core.Model;

namespace SyncServer.Core.Objects;

/// <summary>The CLR type mapping of docs/objects.md, in one place. Stateless.</summary>
internal static class ValueKinds
{
    /// <summary>Size in bytes of a FlatBuffers uoffset (the inline part of a string or vector field).</summary>
    public const int OffsetSize = 4;

    public static ValueKind Of(ModelProperty property)
    {
        var unsigned = property.Flags.HasFlag(PropertyFlags.Unsigned);
        return property.Type switch
        {
            PropertyType.Bool => ValueKind.Bool,
            PropertyType.Byte => unsigned ? ValueKind.Byte : ValueKind.SByte,
            PropertyType.Short => unsigned ? ValueKind.UShort : ValueKind.Short,
            PropertyType.Char => ValueKind.Char,
            PropertyType.Int => unsigned ? ValueKind.UInt : ValueKind.Int,
            PropertyType.Long => unsigned || property.IsIdProperty ? ValueKind.ULong : ValueKind.Long,
            PropertyType.Float => ValueKind.Float,
            PropertyType.Double => ValueKind.Double,
            PropertyType.String => ValueKind.String,
            PropertyType.Date or PropertyType.DateNano => ValueKind.Long,
            PropertyType.Relation => ValueKind.ULong,
            PropertyType.Flex or PropertyType.ByteVector => ValueKind.Bytes,
            PropertyType.BoolVector => ValueKind.BoolVector,
            PropertyType.ShortVector => unsigned ? ValueKind.UShortVector : ValueKind.ShortVector,
            PropertyType.CharVector => ValueKind.CharVector,
            PropertyType.IntVector => unsigned ? ValueKind.UIntVector : ValueKind.IntVector,
            PropertyType.LongVector => unsigned ? ValueKind.ULongVector : ValueKind.LongVector,
            PropertyType.FloatVector => ValueKind.FloatVector,
            PropertyType.DoubleVector => ValueKind.DoubleVector,
            PropertyType.StringVector => ValueKind.StringVector,
            PropertyType.DateVector or PropertyType.DateNanoVector => ValueKind.LongVector,
            _ => ValueKind.None,
        };
    }

    /// <summary>The CLR type of values of this kind (null for <see cref="ValueKind.None"/>).</summary>
    public static Type? ClrType(ValueKind kind) => kind switch
    {
        ValueKind.Bool => typeof(bool),
        ValueKind.SByte => typeof(sbyte),
        ValueKind.Byte => typeof(byte),
        ValueKind.Short => typeof(short),
        ValueKind.UShort => typeof(ushort),
        ValueKind.Char => typeof(char),
        ValueKind.Int => typeof(int),
        ValueKind.UInt => typeof(uint),
        ValueKind.Long => typeof(long),
        ValueKind.ULong => typeof(ulong),
        ValueKind.Float => typeof(float),
        ValueKind.Double => typeof(double),
        ValueKind.String => typeof(string),
        ValueKind.Bytes => typeof(byte[]),
        ValueKind.BoolVector => typeof(bool[]),
        ValueKind.ShortVector => typeof(short[]),
        ValueKind.UShortVector => typeof(ushort[]),
        ValueKind.CharVector => typeof(char[]),
        ValueKind.IntVector => typeof(int[]),
        ValueKind.UIntVector => typeof(uint[]),
        ValueKind.LongVector => typeof(long[]),
        ValueKind.ULongVector => typeof(ulong[]),
        ValueKind.FloatVector => typeof(float[]),
        ValueKind.DoubleVector => typeof(double[]),
        ValueKind.StringVector => typeof(string[]),
        _ => null,
    };

    /// <summary>C# spelling of the CLR type, for messages ("ulong", "string[]").</summary>
    public static string ClrName(ValueKind kind) => kind switch
    {
        ValueKind.None => "nothing (the property has no type)",
        ValueKind.Bytes => "byte[]",
        _ => ClrType(kind) is { } type ? CSharpName(type) : kind.ToString(),
    };

    /// <summary>Bytes the value takes inside the table: the scalar itself, or the uoffset to a string or vector.</summary>
    public static int InlineSize(ValueKind kind) => kind switch
    {
        ValueKind.Bool or ValueKind.SByte or ValueKind.Byte => 1,
        ValueKind.Short or ValueKind.UShort or ValueKind.Char => 2,
        ValueKind.Int or ValueKind.UInt or ValueKind.Float => 4,
        ValueKind.Long or ValueKind.ULong or ValueKind.Double => 8,
        _ => OffsetSize,
    };

    /// <summary>Size of one element of a vector kind (1 for a string's bytes, 4 for the offsets of a string vector).</summary>
    public static int ElementSize(ValueKind kind) => kind switch
    {
        ValueKind.String or ValueKind.Bytes or ValueKind.BoolVector => 1,
        ValueKind.ShortVector or ValueKind.UShortVector or ValueKind.CharVector => 2,
        ValueKind.IntVector or ValueKind.UIntVector or ValueKind.FloatVector or ValueKind.StringVector => 4,
        ValueKind.LongVector or ValueKind.ULongVector or ValueKind.DoubleVector => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a string or vector kind"),
    };

    public static bool IsScalar(ValueKind kind) => kind is >= ValueKind.Bool and <= ValueKind.Double;

    /// <summary>Scalars that <see cref="ObjectCodec.TryReadScalar"/> reads as a long: bool, char and every integer.</summary>
    public static bool IsIntegerLike(ValueKind kind) => kind is >= ValueKind.Bool and <= ValueKind.ULong;

    /// <summary>"property \"name\" (ID 3, Long)" for messages.</summary>
    public static string Describe(ModelProperty property) =>
        $"property \"{property.Name}\" (ID {property.Id.Id}, {property.Type})";

    /// <summary>C# spelling of a CLR type ("ulong", "string[]"), for messages.</summary>
    public static string CSharpName(Type type) => type.IsArray ? CSharpName(type.GetElementType()!) + "[]" : type.Name switch
    {
        "Boolean" => "bool",
        "SByte" => "sbyte",
        "Byte" => "byte",
        "Int16" => "short",
        "UInt16" => "ushort",
        "Char" => "char",
        "Int32" => "int",
        "UInt32" => "uint",
        "Int64" => "long",
        "UInt64" => "ulong",
        "Single" => "float",
        "Double" => "double",
        "String" => "string",
        _ => type.Name,
    };
}
