namespace SyncServer.Core.Objects;

/// <summary>
/// How a property's value is stored in the FlatBuffers table and which CLR type carries it, derived from
/// <see cref="Model.PropertyType"/> and the UNSIGNED and ID flags by <see cref="ValueKinds.Of"/>.
/// </summary>
internal enum ValueKind
{
    /// <summary><see cref="Model.PropertyType.Unknown"/>: no data the server can read; skipped on decode, refused on encode.</summary>
    None,
    Bool,
    SByte,
    Byte,
    Short,
    UShort,
    Char,
    Int,
    UInt,
    Long,
    ULong,
    Float,
    Double,
    String,
    /// <summary>[ubyte]: ByteVector and Flex (raw FlexBuffers bytes).</summary>
    Bytes,
    BoolVector,
    ShortVector,
    UShortVector,
    CharVector,
    IntVector,
    UIntVector,
    LongVector,
    ULongVector,
    FloatVector,
    DoubleVector,
    StringVector,
}
