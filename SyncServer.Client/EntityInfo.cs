using SyncServer.Core.Model;

namespace SyncServer.Client;

/// <summary>One entity with its precomputed SDK facts.</summary>
internal sealed class EntityInfo
{
    public EntityInfo(ModelEntity entity, ObjectBoxModel model)
    {
        Entity = entity;
        IdProperty = entity.IdProperty;
        ClockProperty = entity.Properties.FirstOrDefault(p => p.Flags.HasFlag(PropertyFlags.SyncClock));
        ToOnes = [.. entity.Properties
            .Where(p => p.Type == PropertyType.Relation && p.RelationTarget is not null)
            .Select(p => (p.Id.Id, model.FindEntity(p.RelationTarget!)!.Id.Id))];
        OnlyIdToTranslate = ToOnes.Count == 0 && IdProperty.Type == PropertyType.Long;
    }

    public ModelEntity Entity { get; }
    public uint Id => Entity.Id.Id;
    public string Name => Entity.Name;
    public bool IsSynced => Entity.IsSyncEnabled;
    public bool IsShared => Entity.HasSharedGlobalIds;
    public ModelProperty IdProperty { get; }
    public ModelProperty? ClockProperty { get; }

    /// <summary>ToOne properties: property ID and the target entity ID.</summary>
    public IReadOnlyList<(uint PropertyId, uint TargetEntityId)> ToOnes { get; }

    /// <summary>No ToOne properties: between local and global terms only the ID field of an object differs.</summary>
    public bool OnlyIdToTranslate { get; }
}
