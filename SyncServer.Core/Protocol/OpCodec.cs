namespace SyncServer.Core.Protocol;

/// <summary>
/// Encodes operation lists, the part shared by APPLY_TX, TXS, FULL_SYNC_DATA and the server's transaction log.
/// <code>
/// u32 count, then per operation:
///   PUT    (1): u8 1 | u32 entityId   | u64 objectId | u32 dataLength | data (FlatBuffers table)
///   REMOVE (2): u8 2 | u32 entityId   | u64 objectId | u64 clock
///   LINK   (3): u8 3 | u32 relationId | u64 sourceId | u64 targetId
///   UNLINK (4): u8 4 | u32 relationId | u64 sourceId | u64 targetId
/// </code>
/// </summary>
public static class OpCodec
{
    public const byte Put = 1;
    public const byte Remove = 2;
    public const byte Link = 3;
    public const byte Unlink = 4;

    /// <summary>The smallest encoded operation: a PUT with empty data (1 + 4 + 8 + 4 bytes).</summary>
    public const int MinOpSize = 17;

    public static void Write(ProtocolWriter writer, IReadOnlyList<SyncOp> ops)
    {
        writer.WriteU32((uint)ops.Count);
        foreach (var op in ops)
        {
            WriteOp(writer, op);
        }
    }

    public static void WriteOp(ProtocolWriter writer, SyncOp op)
    {
        switch (op)
        {
            case PutOp put:
                writer.WriteByte(Put);
                writer.WriteU32(put.EntityId);
                writer.WriteU64(put.ObjectId);
                writer.WriteBytes(put.Data.Span);
                break;
            case RemoveOp remove:
                writer.WriteByte(Remove);
                writer.WriteU32(remove.EntityId);
                writer.WriteU64(remove.ObjectId);
                writer.WriteU64(remove.Clock);
                break;
            case LinkOp link:
                writer.WriteByte(link.Linked ? Link : Unlink);
                writer.WriteU32(link.RelationId);
                writer.WriteU64(link.SourceId);
                writer.WriteU64(link.TargetId);
                break;
            default:
                throw new ArgumentException($"unknown operation {op.GetType().Name}", nameof(op));
        }
    }

    /// <summary>Reads a count and that many operations; PUT data is copied out of the message buffer.</summary>
    public static List<SyncOp> Read(ref ProtocolReader reader, int maxOps)
    {
        var count = reader.ReadCount("operation count", MinOpSize);
        if (count > maxOps)
        {
            throw new ProtocolException(ErrorCode.TooManyOperations, $"{count} operations in one transaction; the limit is {maxOps}");
        }

        var ops = new List<SyncOp>(count);
        for (var i = 0; i < count; i++)
        {
            ops.Add(ReadOp(ref reader, i));
        }

        return ops;
    }

    private static SyncOp ReadOp(ref ProtocolReader reader, int index)
    {
        var type = reader.ReadByte($"operation {index} type");
        switch (type)
        {
            case Put:
                var entityId = reader.ReadU32($"operation {index} entity ID");
                var objectId = reader.ReadU64($"operation {index} object ID");
                return new PutOp(entityId, objectId, reader.ReadBytes($"operation {index} object data").ToArray());
            case Remove:
                return new RemoveOp(reader.ReadU32($"operation {index} entity ID"), reader.ReadU64($"operation {index} object ID"), reader.ReadU64($"operation {index} clock"));
            case Link or Unlink:
                return new LinkOp(
                    reader.ReadU32($"operation {index} relation ID"),
                    reader.ReadU64($"operation {index} source ID"),
                    reader.ReadU64($"operation {index} target ID"),
                    type == Link);
            default:
                throw ProtocolReader.Malformed($"operation {index} has unknown type {type}");
        }
    }
}
