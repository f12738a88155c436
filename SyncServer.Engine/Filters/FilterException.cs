namespace SyncServer.Engine.Filters;

/// <summary>
/// A sync filter that cannot be used: it does not parse, names a property the entity does not have, or compares a
/// property with a value of another type (docs/filters.md). <see cref="Position"/> is the 1-based character position in
/// the expression where the problem starts.
/// </summary>
public sealed class FilterException : Exception
{
    public FilterException(string entity, string expression, int position, string reason)
        : base($"sync filter of entity {entity}, at character {position}: {reason} (in \"{expression}\")")
    {
        Entity = entity;
        Expression = expression;
        Position = position;
        Reason = reason;
    }

    public FilterException()
    {
        Entity = Expression = Reason = "";
    }

    public FilterException(string message)
        : base(message)
    {
        Entity = Expression = Reason = "";
    }

    public FilterException(string message, Exception innerException)
        : base(message, innerException)
    {
        Entity = Expression = Reason = "";
    }

    /// <summary>The entity whose filter it is.</summary>
    public string Entity { get; }

    /// <summary>The whole filter expression.</summary>
    public string Expression { get; }

    /// <summary>1-based character position of the problem in <see cref="Expression"/>.</summary>
    public int Position { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}
