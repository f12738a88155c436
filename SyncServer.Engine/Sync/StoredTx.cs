namespace SyncServer.Engine.Sync;

/// <summary>A committed transaction of the txlog, as <see cref="TxFeed.Read"/> hands it out.</summary>
/// <param name="Position">Its txlog position (1, 2, 3, ... in commit order).</param>
/// <param name="ClientNumber">The sender's client number; 0 = the server itself.</param>
/// <param name="CommittedUnixMs">Commit time, milliseconds since the Unix epoch.</param>
/// <param name="OpCount">The number of operations.</param>
/// <param name="EncodedOps">The operations in <see cref="Core.Protocol.OpCodec"/> encoding (u32 count, then the ops), ready
/// to be copied into a TXS message. Shared between readers: do not modify.</param>
/// <param name="FilterContext">What deliveries to filtered clients need beyond the ops (<see cref="Filters.FilterContext"/>
/// encoding: the before-images of filtered objects); null when the TX touched no filtered entity when it was written.</param>
internal sealed record StoredTx(
    ulong Position, uint ClientNumber, long CommittedUnixMs, int OpCount, ReadOnlyMemory<byte> EncodedOps, byte[]? FilterContext = null)
{
    private Filters.FilterDelivery? _delivery;

    /// <summary>The TX decoded for filtered deliveries, made once and shared by every session that needs it.</summary>
    internal Filters.FilterDelivery Delivery => Volatile.Read(ref _delivery) ?? Interlocked.CompareExchange(ref _delivery, Filters.FilterDelivery.Decode(this), null) ?? _delivery!;
}
