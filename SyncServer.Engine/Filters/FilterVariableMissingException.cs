namespace SyncServer.Engine.Filters;

/// <summary>A login whose filters need a variable it does not have, and the filter gives no default.</summary>
public sealed class FilterVariableMissingException : Exception
{
    public FilterVariableMissingException(string entity, string variable)
        : base($"the sync filter of entity {entity} needs {variable}, which this login does not have")
    {
        Entity = entity;
        Variable = variable;
    }

    public FilterVariableMissingException()
    {
        Entity = Variable = "";
    }

    public FilterVariableMissingException(string message)
        : base(message)
    {
        Entity = Variable = "";
    }

    public FilterVariableMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Entity = Variable = "";
    }

    public string Entity { get; }

    /// <summary>As written in the filter, e.g. <c>$auth.org</c>.</summary>
    public string Variable { get; }
}
