using System.Runtime.CompilerServices;
using SyncServer.Core.Model;

namespace SyncServer.Engine.Sync;

// Immutable after construction, thread-safe; one per model, cached for the model's lifetime.
/// <summary>The lookups the sync engine needs on a model and that <see cref="ObjectBoxModel"/> does not have: standalone
/// relations by ID and UID with their owner and target, and each entity's conflict properties.</summary>
internal sealed class SyncModelIndex
{
    private static readonly ConditionalWeakTable<ObjectBoxModel, SyncModelIndex> Cache = [];

    private readonly Dictionary<uint, SyncRelation> _relationsById = [];
    private readonly Dictionary<ulong, SyncRelation> _relationsByUid = [];

    private SyncModelIndex(ObjectBoxModel model)
    {
        foreach (var owner in model.Entities)
        {
            foreach (var relation in owner.Relations)
            {
                var target = model.FindEntity(relation.TargetId.Id);
                var info = new SyncRelation(relation, owner, target?.Id.Uid == relation.TargetId.Uid ? target : null);
                _relationsById.TryAdd(relation.Id.Id, info);
                _relationsByUid.TryAdd(relation.Id.Uid, info);
            }
        }

        Relations = [.. _relationsById.Values];
    }

    public IReadOnlyList<SyncRelation> Relations { get; }

    public static SyncModelIndex For(ObjectBoxModel model) => Cache.GetValue(model, m => new SyncModelIndex(m));

    public SyncRelation? FindRelation(uint relationId) => _relationsById.GetValueOrDefault(relationId);

    public SyncRelation? FindRelationByUid(ulong relationUid) => _relationsByUid.GetValueOrDefault(relationUid);

    /// <summary>The entity's SYNC_PRECEDENCE property, if it has one.</summary>
    public static ModelProperty? PrecedenceProperty(ModelEntity entity) => FirstWithFlag(entity, PropertyFlags.SyncPrecedence);

    /// <summary>The entity's SYNC_CLOCK property, if it has one.</summary>
    public static ModelProperty? ClockProperty(ModelEntity entity) => FirstWithFlag(entity, PropertyFlags.SyncClock);

    // Called for every PUT the writer applies (twice): a plain loop, no LINQ enumerator and delegate per call.
    private static ModelProperty? FirstWithFlag(ModelEntity entity, PropertyFlags flag)
    {
        var properties = entity.Properties;
        for (var i = 0; i < properties.Count; i++)
        {
            if ((properties[i].Flags & flag) != 0)
            {
                return properties[i];
            }
        }

        return null;
    }
}
