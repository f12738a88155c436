namespace SyncServer.Core.Model;

/// <summary>ObjectBox property type codes, as written in objectbox-model.json ("type").</summary>
public enum PropertyType : byte
{
    /// <summary>No "type" in the file (some old Swift generators); such a property carries no data the server can read.</summary>
    Unknown = 0,
    Bool = 1,
    Byte = 2,
    Short = 3,
    Char = 4,
    Int = 5,
    Long = 6,
    Float = 7,
    Double = 8,
    String = 9,
    /// <summary>Milliseconds since the Unix epoch, stored as a long.</summary>
    Date = 10,
    /// <summary>A ToOne relation: the target object's ID, stored as a long; see <see cref="ModelProperty.RelationTarget"/>.</summary>
    Relation = 11,
    /// <summary>Nanoseconds since the Unix epoch, stored as a long.</summary>
    DateNano = 12,
    /// <summary>FlexBuffers-encoded value (maps, lists, scalars).</summary>
    Flex = 13,
    BoolVector = 22,
    ByteVector = 23,
    ShortVector = 24,
    CharVector = 25,
    IntVector = 26,
    LongVector = 27,
    FloatVector = 28,
    DoubleVector = 29,
    StringVector = 30,
    DateVector = 31,
    DateNanoVector = 32,
}
