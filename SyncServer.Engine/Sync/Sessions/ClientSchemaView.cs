using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Sync.Sessions;

// Immutable, thread-safe.
/// <summary>
/// Shows the server's data (in the current schema version's terms) to a client on another, older version that still
/// accepts clients: operations on entities or relations the client's version does not have, or that are not
/// sync-enabled there, are left out, and objects are re-encoded without the properties it does not know. Entity,
/// property and relation IDs of one UID are the same in every compatible version (docs/schema.md).
/// </summary>
internal sealed class ClientSchemaView
{
    private readonly ObjectBoxModel _client;
    private readonly ObjectBoxModel _server;
    private readonly HashSet<uint> _syncedRelations = [];
    private readonly HashSet<uint> _projectedEntities = [];

    public ClientSchemaView(ObjectBoxModel client, ObjectBoxModel server)
    {
        _client = client;
        _server = server;
        IsIdentity = ReferenceEquals(client, server) || client.Hash == server.Hash;
        foreach (var entity in client.Entities)
        {
            var serverEntity = server.FindEntity(entity.Id.Id);
            if (serverEntity is not null && serverEntity.Properties.Any(p => entity.FindProperty(p.Id.Id) is null))
            {
                _projectedEntities.Add(entity.Id.Id);
            }

            foreach (var relation in entity.Relations)
            {
                if (entity.IsSyncEnabled && client.FindEntity(relation.TargetId.Id) is { IsSyncEnabled: true } target
                    && target.Id.Uid == relation.TargetId.Uid)
                {
                    _syncedRelations.Add(relation.Id.Id);
                }
            }
        }
    }

    /// <summary>True when the client is on the current version: stored operations go out unchanged.</summary>
    public bool IsIdentity { get; }

    /// <summary>The operations the client may see, re-encoded where needed; the same list when nothing changes.</summary>
    public IReadOnlyList<SyncOp> Filter(IReadOnlyList<SyncOp> ops)
    {
        List<SyncOp>? result = null;
        for (var i = 0; i < ops.Count; i++)
        {
            var shown = Show(ops[i]);
            if (result is null && !ReferenceEquals(shown, ops[i]))
            {
                result = [.. ops.Take(i)];
            }

            if (result is not null && shown is not null)
            {
                result.Add(shown);
            }
        }

        return result ?? ops;
    }

    private SyncOp? Show(SyncOp op) => op switch
    {
        PutOp put => SyncedEntity(put.EntityId) is not { } entity ? null
            : _projectedEntities.Contains(put.EntityId)
                ? put with { Data = ObjectCodec.Project(entity, put.Data.Span, _server.FindEntity(put.EntityId)!) }
                : put,
        RemoveOp remove => SyncedEntity(remove.EntityId) is null ? null : remove,
        LinkOp link => _syncedRelations.Contains(link.RelationId) ? link : null,
        _ => null,
    };

    private ModelEntity? SyncedEntity(uint entityId) =>
        _client.FindEntity(entityId) is { IsSyncEnabled: true } entity
        && (_server.FindEntity(entityId) is not { } serverEntity || serverEntity.Id.Uid == entity.Id.Uid)
            ? entity
            : null;
}
