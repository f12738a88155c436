using SyncServer.Core.Model;

namespace SyncServer.Engine.Schema;

/// <summary>The two models being compared and the changes found so far. One per <see cref="SchemaDiff.Compare"/> call.</summary>
internal sealed class DiffContext(ObjectBoxModel current, ObjectBoxModel next, List<SchemaChange> changes)
{
    public ObjectBoxModel Current { get; } = current;

    public ObjectBoxModel Next { get; } = next;

    /// <summary>Every UID the current model retired (entity, property, index and relation UIDs share one space).</summary>
    public HashSet<ulong> RetiredInCurrent { get; } =
    [
        .. current.Metadata.RetiredEntityUids,
        .. current.Metadata.RetiredPropertyUids,
        .. current.Metadata.RetiredIndexUids,
        .. current.Metadata.RetiredRelationUids,
    ];

    public void Add(SchemaChangeKind kind, string location, string description, bool isBreaking) =>
        changes.Add(new SchemaChange(kind, location, description, isBreaking));
}
