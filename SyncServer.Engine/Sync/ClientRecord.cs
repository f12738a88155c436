namespace SyncServer.Engine.Sync;

/// <summary>A client as the server knows it after <see cref="ClientRegistry.Login"/>.</summary>
/// <param name="ClientId">The persistent client ID the client sent at login.</param>
/// <param name="Number">Its client number, 1 to <see cref="ClientRegistry.MaxClientNumber"/>, given at first login and never
/// changed: the high 24 bits of the global object IDs it creates (docs/ids.md).</param>
/// <param name="LastTxId">The highest client TX ID applied; a TX with this ID or lower is a duplicate.</param>
/// <param name="AppliedPosition">The highest txlog position the client confirmed it applied (0: none).</param>
/// <param name="FilterState">The <see cref="Filters.FilterState"/> JSON its store matches; null: none stored (it synced
/// without filters, or never).</param>
internal sealed record ClientRecord(byte[] ClientId, uint Number, ulong LastTxId, ulong AppliedPosition, string? FilterState = null);
