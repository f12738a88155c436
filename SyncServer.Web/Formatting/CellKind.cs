namespace SyncServer.Web.Formatting;

/// <summary>How a cell of the data grid shows its value.</summary>
public enum CellKind
{
    /// <summary>The field is absent or null.</summary>
    Empty,
    Text,
    /// <summary>A vector: the abbreviated text, the full value on demand.</summary>
    Vector,
    /// <summary>Bytes (ByteVector, Flex): the size.</summary>
    Bytes,
    /// <summary>Bytes that are a PNG, JPEG, GIF or WebP image: a preview.</summary>
    Image,
    /// <summary>A ToOne relation: a link to the target object.</summary>
    Relation,
}
