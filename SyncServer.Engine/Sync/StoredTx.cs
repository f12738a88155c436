namespace SyncServer.Engine.Sync;

/// <summary>A committed transaction of the txlog, as <see cref="TxFeed.Read"/> hands it out.</summary>
/// <param name="Position">Its txlog position (1, 2, 3, ... in commit order).</param>
/// <param name="ClientNumber">The sender's client number; 0 = the server itself.</param>
/// <param name="CommittedUnixMs">Commit time, milliseconds since the Unix epoch.</param>
/// <param name="OpCount">The number of operations.</param>
/// <param name="EncodedOps">The operations in <see cref="Core.Protocol.OpCodec"/> encoding (u32 count, then the ops), ready
/// to be copied into a TXS message. Shared between readers: do not modify.</param>
internal sealed record StoredTx(ulong Position, uint ClientNumber, long CommittedUnixMs, int OpCount, ReadOnlyMemory<byte> EncodedOps);
