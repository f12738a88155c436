using SyncServer.Core.Protocol;

namespace SyncServer.Bench.Infrastructure;

/// <summary>
/// Reads the PUTs of a TXS message in place with <see cref="ProtocolReader"/> (layout: docs/protocol.md), without
/// allocating: a subscriber receiving 100,000 TXs per second should not spend the CPU the server needs.
/// </summary>
internal static class TxsScanner
{
    /// <summary>Calls <paramref name="onPut"/> with each PUT's sentAt value; returns the number of TXs in the message.</summary>
    public static int ScanPuts<TState>(ReadOnlySpan<byte> message, TState state, Action<TState, long> onPut)
    {
        var reader = new ProtocolReader(message);
        if ((MessageType)reader.ReadByte("type") != MessageType.Txs)
        {
            throw new ArgumentException("not a TXS message", nameof(message));
        }

        reader.ReadByte("historic");
        var txCount = (int)reader.ReadU32("TX count");
        for (var t = 0; t < txCount; t++)
        {
            reader.ReadU64("position");
            reader.ReadI64("time");
            var ops = new ProtocolReader(reader.ReadBytes("ops"));
            var opCount = ops.ReadU32("op count");
            for (var o = 0; o < opCount; o++)
            {
                switch (ops.ReadByte("op type"))
                {
                    case OpCodec.Put:
                        ops.ReadU32("entity");
                        ops.ReadU64("object");
                        onPut(state, BenchModel.ReadSentAt(ops.ReadBytes("data")));
                        break;
                    default:
                        ops.ReadU32("entity or relation");
                        ops.ReadU64("id");
                        ops.ReadU64("clock or target");
                        break;
                }
            }
        }

        return txCount;
    }

    /// <summary>The position of the last TX in a TXS message (0 when it holds none).</summary>
    public static ulong LastPosition(ReadOnlySpan<byte> message)
    {
        var reader = new ProtocolReader(message);
        reader.ReadByte("type");
        reader.ReadByte("historic");
        var txCount = (int)reader.ReadU32("TX count");
        var position = 0UL;
        for (var t = 0; t < txCount; t++)
        {
            position = reader.ReadU64("position");
            reader.ReadI64("time");
            reader.ReadBytes("ops");
        }

        return position;
    }

    /// <summary>The operation count of a FULL_SYNC_DATA message.</summary>
    public static int FullSyncDataCount(ReadOnlySpan<byte> message)
    {
        var reader = new ProtocolReader(message);
        reader.ReadByte("type");
        return (int)reader.ReadU32("op count");
    }
}
