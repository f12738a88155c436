namespace SyncServer.Engine.Schema;

/// <summary>A model cannot become (or be switched to as) the current schema version; <see cref="Conflicts"/> lists why.</summary>
public sealed class SchemaIncompatibleException(string message, IReadOnlyList<SchemaChange> conflicts) : Exception(message)
{
    public IReadOnlyList<SchemaChange> Conflicts { get; } = conflicts;
}
