namespace SyncServer.Core.Model;

/// <summary>One entity (object type) of the model. Immutable; lookups are built once.</summary>
public sealed class ModelEntity
{
    private readonly Dictionary<uint, ModelProperty> _propertiesById;
    private readonly Dictionary<string, ModelProperty> _propertiesByName;

    public ModelEntity(
        IdUid id,
        string name,
        EntityFlags flags,
        IdUid lastPropertyId,
        IReadOnlyList<ModelProperty> properties,
        IReadOnlyList<ModelRelation> relations,
        string? externalName = null)
    {
        Id = id;
        Name = name;
        Flags = flags;
        LastPropertyId = lastPropertyId;
        Properties = properties;
        Relations = relations;
        ExternalName = externalName;
        // TryAdd: duplicates are reported by validation, lookups keep the first.
        _propertiesById = new Dictionary<uint, ModelProperty>(properties.Count);
        _propertiesByName = new Dictionary<string, ModelProperty>(properties.Count, StringComparer.Ordinal);
        foreach (var property in properties)
        {
            _propertiesById.TryAdd(property.Id.Id, property);
            _propertiesByName.TryAdd(property.Name, property);
        }
    }

    public IdUid Id { get; }
    public string Name { get; }
    public EntityFlags Flags { get; }
    public IdUid LastPropertyId { get; }
    public IReadOnlyList<ModelProperty> Properties { get; }
    public IReadOnlyList<ModelRelation> Relations { get; }
    public string? ExternalName { get; }

    public bool IsSyncEnabled => Flags.HasFlag(EntityFlags.SyncEnabled);
    public bool HasSharedGlobalIds => Flags.HasFlag(EntityFlags.SharedGlobalIds);

    /// <summary>The property flagged <see cref="PropertyFlags.Id"/>; validation guarantees there is exactly one.</summary>
    public ModelProperty IdProperty => Properties.First(p => p.IsIdProperty);

    public ModelProperty? FindProperty(uint propertyId) => _propertiesById.GetValueOrDefault(propertyId);

    public ModelProperty? FindProperty(string name) => _propertiesByName.GetValueOrDefault(name);
}
