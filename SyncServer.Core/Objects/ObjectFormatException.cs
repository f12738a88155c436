namespace SyncServer.Core.Objects;

/// <summary>
/// Thrown when an object's bytes are malformed for its entity, or when values do not fit the entity's properties
/// (unknown property, wrong CLR type, value out of range). The message names the entity, and the property where one is
/// involved, and says what is wrong.
/// </summary>
public sealed class ObjectFormatException : Exception
{
    public ObjectFormatException()
        : base("The object is malformed.")
    {
    }

    public ObjectFormatException(string message)
        : base(message)
    {
    }

    public ObjectFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
