namespace SyncServer.Core.Protocol.Messages;

/// <summary>
/// A server TX inside TXS with its operations still encoded (<see cref="OpCodec"/>, count included), so the server can
/// send what its log holds without decoding it; receivers decode with <see cref="DecodeOps"/>.
/// </summary>
public sealed record EncodedTx(ulong Position, long CommittedUnixMs, ReadOnlyMemory<byte> Ops)
{
    public List<SyncOp> DecodeOps(int maxOps = int.MaxValue)
    {
        var reader = new ProtocolReader(Ops.Span);
        var ops = OpCodec.Read(ref reader, maxOps);
        reader.ExpectEnd($"TX at position {Position}");
        return ops;
    }

    public static EncodedTx From(ServerTx tx)
    {
        var writer = new ProtocolWriter();
        OpCodec.Write(writer, tx.Ops);
        return new EncodedTx(tx.Position, tx.CommittedUnixMs, writer.ToArray());
    }
}
