using SyncServer.Core.Model;

namespace SyncServer.Engine.Sync;

/// <summary>A standalone relation with the entity that owns it (the source side) and its target (null if the model
/// does not have it).</summary>
internal sealed record SyncRelation(ModelRelation Relation, ModelEntity Owner, ModelEntity? Target);
