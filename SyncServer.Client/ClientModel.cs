using System.Globalization;
using SyncServer.Core.Model;

namespace SyncServer.Client;

/// <summary>The app's model with what the SDK needs precomputed: per entity its ID, ToOne and SYNC_CLOCK properties, per
/// standalone relation its source and target. Immutable, thread-safe.</summary>
internal sealed class ClientModel
{
    private readonly Dictionary<uint, EntityInfo> _entities = [];
    private readonly Dictionary<string, EntityInfo> _entitiesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EntityInfo> _entitiesByNameIgnoreCase = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<uint, RelationInfo> _relations = [];

    public ClientModel(ObjectBoxModel model)
    {
        Model = model;
        HashBytes = Convert.FromHexString(model.Hash);
        foreach (var entity in model.Entities)
        {
            var info = new EntityInfo(entity, model);
            _entities[entity.Id.Id] = info;
            _entitiesByName[entity.Name] = info;
            _entitiesByNameIgnoreCase.TryAdd(entity.Name, info);
        }

        foreach (var entity in model.Entities)
        {
            foreach (var relation in entity.Relations)
            {
                var target = model.FindEntityByUid(relation.TargetId.Uid) ?? model.FindEntity(relation.TargetId.Id)!;
                _relations[relation.Id.Id] = new RelationInfo(relation, _entities[entity.Id.Id], _entities[target.Id.Id]);
            }
        }
    }

    public ObjectBoxModel Model { get; }

    /// <summary>The model hash as the 32 bytes LOGIN carries.</summary>
    public byte[] HashBytes { get; }

    public IEnumerable<EntityInfo> Entities => _entities.Values;

    public IEnumerable<RelationInfo> Relations => _relations.Values;

    public EntityInfo? FindEntity(uint entityId) => _entities.GetValueOrDefault(entityId);

    public RelationInfo? FindRelation(uint relationId) => _relations.GetValueOrDefault(relationId);

    /// <summary>By exact name, else ignoring case; throws naming the entity when there is none.</summary>
    public EntityInfo GetEntity(string name) =>
        _entitiesByName.GetValueOrDefault(name) ?? _entitiesByNameIgnoreCase.GetValueOrDefault(name)
        ?? throw new ArgumentException($"The model has no entity \"{name}\".");

    public RelationInfo GetRelation(string entityName, string relationName)
    {
        var entity = GetEntity(entityName);
        return _relations.Values.FirstOrDefault(r => r.Source == entity && string.Equals(r.Relation.Name, relationName, StringComparison.Ordinal))
            ?? _relations.Values.FirstOrDefault(r => r.Source == entity && string.Equals(r.Relation.Name, relationName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Entity \"{entity.Name}\" has no standalone relation \"{relationName}\".");
    }

    /// <summary>Reads an integer value as decoded from an object (any CLR integer type) as the u64 it stands for.</summary>
    public static ulong AsId(object? value) => value switch
    {
        null => 0,
        ulong u => u,
        long l => unchecked((ulong)l),
        bool b => b ? 1UL : 0UL,
        _ => unchecked((ulong)Convert.ToInt64(value, CultureInfo.InvariantCulture)),
    };
}
