using System.Globalization;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Sync;

// Stateless, thread-safe: runs on the session's thread, before the transaction goes to the TxWriter.
/// <summary>
/// Checks a client transaction against the client's schema version before it is queued for the writer. Every problem is
/// a <see cref="ProtocolException"/> whose code goes into the ERROR message and whose message names the operation
/// (0-based index), the entity or relation and the problem, e.g.
/// <c>operation 3 (PUT Task, object 42): data is not a valid Task object: ...</c>.
/// </summary>
internal static class TxValidator
{
    public static void Validate(ClientTx tx, ObjectBoxModel clientModel)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(clientModel);
        if (tx.ClientTxId == 0)
        {
            throw new ProtocolException(ErrorCode.Malformed, "transaction ID 0: client transaction IDs start at 1");
        }

        for (var i = 0; i < tx.Ops.Count; i++)
        {
            switch (tx.Ops[i])
            {
                case PutOp put:
                    ValidatePut(i, put, clientModel);
                    break;
                case RemoveOp remove:
                    var entity = SyncedEntity(i, "REMOVE", remove.EntityId, clientModel);
                    if (remove.ObjectId == 0)
                    {
                        RequireObjectId(i, $"REMOVE {entity.Name}", "object ID", remove.ObjectId);
                    }

                    break;
                case LinkOp link:
                    ValidateLink(i, link, clientModel);
                    break;
                default:
                    throw new ProtocolException(ErrorCode.Malformed, Text($"operation {i}: unknown operation type"));
            }
        }
    }

    // Runs for every PUT a client sends: the texts of the errors are only made when there is one.
    private static void ValidatePut(int index, PutOp put, ObjectBoxModel model)
    {
        var entity = SyncedEntity(index, "PUT", put.EntityId, model);
        if (put.ObjectId == 0)
        {
            RequireObjectId(index, $"PUT {entity.Name}", "object ID", put.ObjectId);
        }

        ulong id;
        try
        {
            ObjectCodec.Validate(entity, put.Data.Span);
            id = ObjectCodec.ReadId(entity, put.Data.Span);
        }
        catch (ObjectFormatException e)
        {
            throw new ProtocolException(
                ErrorCode.InvalidObject, Text($"operation {index} ({What(entity, put)}): data is not a valid {entity.Name} object: {e.Message}"));
        }

        if (id != put.ObjectId)
        {
            throw new ProtocolException(
                ErrorCode.InvalidObject,
                Text($"operation {index} ({What(entity, put)}): the object's ID property \"{entity.IdProperty.Name}\" is {id}, not the operation's object ID"));
        }
    }

    private static string What(ModelEntity entity, PutOp put) => Text($"PUT {entity.Name}, object {put.ObjectId}");

    private static void ValidateLink(int index, LinkOp link, ObjectBoxModel model)
    {
        var kind = link.Linked ? "LINK" : "UNLINK";
        var relation = SyncModelIndex.For(model).FindRelation(link.RelationId) ?? throw new ProtocolException(
            ErrorCode.UnknownSchemaElement,
            Text($"operation {index} ({kind}): relation ID {link.RelationId} is not in the client's schema version"));
        var name = $"{relation.Owner.Name}.{relation.Relation.Name}";
        if (relation.Target is null)
        {
            throw new ProtocolException(
                ErrorCode.UnknownSchemaElement,
                Text($"operation {index} ({kind} {name}): the relation's target entity ID {relation.Relation.TargetId.Id} is not in the client's schema version"));
        }

        foreach (var entity in new[] { relation.Owner, relation.Target })
        {
            if (!entity.IsSyncEnabled)
            {
                throw new ProtocolException(
                    ErrorCode.EntityNotSynced,
                    Text($"operation {index} ({kind} {name}): entity \"{entity.Name}\" (ID {entity.Id.Id}) is not sync-enabled"));
            }
        }

        RequireObjectId(index, $"{kind} {name}", "source ID", link.SourceId);
        RequireObjectId(index, $"{kind} {name}", "target ID", link.TargetId);
    }

    private static ModelEntity SyncedEntity(int index, string kind, uint entityId, ObjectBoxModel model)
    {
        var entity = model.FindEntity(entityId) ?? throw new ProtocolException(
            ErrorCode.UnknownSchemaElement,
            Text($"operation {index} ({kind}): entity ID {entityId} is not in the client's schema version"));
        return entity.IsSyncEnabled ? entity : throw new ProtocolException(
            ErrorCode.EntityNotSynced,
            Text($"operation {index} ({kind}): entity \"{entity.Name}\" (ID {entityId}) is not sync-enabled"));
    }

    private static void RequireObjectId(int index, string what, string idName, ulong id)
    {
        if (id == 0)
        {
            throw new ProtocolException(ErrorCode.InvalidObject, Text($"operation {index} ({what}): {idName} 0 is not a valid object ID"));
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
