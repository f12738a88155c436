using SyncServer.Core.Model;

namespace SyncServer.Client;

/// <summary>A standalone relation: links go from objects of <see cref="Source"/> to objects of <see cref="Target"/>.</summary>
internal sealed record RelationInfo(ModelRelation Relation, EntityInfo Source, EntityInfo Target)
{
    public uint Id => Relation.Id.Id;

    /// <summary>Links travel only between synced entities.</summary>
    public bool IsSynced => Source.IsSynced && Target.IsSynced;
}
