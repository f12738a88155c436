namespace SyncServer.Core.Model;

/// <summary>A standalone (many-to-many) relation owned by an entity. Immutable.</summary>
public sealed record ModelRelation
{
    public required IdUid Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The target entity's ID:UID.</summary>
    public required IdUid TargetId { get; init; }
    public string? ExternalName { get; init; }
    public int? ExternalType { get; init; }
}
