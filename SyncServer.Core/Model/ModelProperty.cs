namespace SyncServer.Core.Model;

/// <summary>One property of an entity. Immutable.</summary>
public sealed record ModelProperty
{
    public required IdUid Id { get; init; }
    public required string Name { get; init; }
    public required PropertyType Type { get; init; }
    public PropertyFlags Flags { get; init; }
    /// <summary>The index on this property, or <see cref="IdUid.Empty"/>.</summary>
    public IdUid IndexId { get; init; }
    /// <summary>For <see cref="PropertyType.Relation"/>: the name of the target entity.</summary>
    public string? RelationTarget { get; init; }
    public string? ExternalName { get; init; }
    public int? ExternalType { get; init; }
    public HnswParams? Hnsw { get; init; }

    public bool IsIdProperty => Flags.HasFlag(PropertyFlags.Id);
}
