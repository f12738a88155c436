using SyncServer.Core.Model;
using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Sync;

/// <summary>A validated client transaction for <see cref="TxWriter.SubmitAsync"/>.</summary>
/// <param name="ClientNumber">The sender's client number (<see cref="ClientRecord.Number"/>); 0 for the server itself
/// (no duplicate check).</param>
/// <param name="Tx">The transaction, already checked by <see cref="TxValidator.Validate"/>.</param>
/// <param name="ClientModel">The model of the sender's schema version: its entity and relation IDs are the ops' IDs.</param>
/// <param name="Filters">The sender's sync filters: its writes are checked against them (docs/filters.md); null: not checked.</param>
internal sealed record TxSubmission(uint ClientNumber, ClientTx Tx, ObjectBoxModel ClientModel, Filters.ClientFilters? Filters = null);
