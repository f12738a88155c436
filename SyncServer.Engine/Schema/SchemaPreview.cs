using SyncServer.Core.Model;

namespace SyncServer.Engine.Schema;

/// <summary>
/// What adding a model would do: its parsed form, the changes against the current version, and the existing version with
/// the same hash if there is one (then adding creates nothing new).
/// </summary>
public sealed record SchemaPreview(ObjectBoxModel Model, IReadOnlyList<SchemaChange> Changes, SchemaVersion? ExistingVersion)
{
    public bool IsCompatible => !Changes.Any(c => c.IsBreaking);
}
