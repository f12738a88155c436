using SyncServer.Core.Model;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync;

// Singleton, thread-safe: each Open gets its own storage snapshot.
/// <summary>Opens consistent snapshots of all sync data for a full sync (FULL_SYNC_DATA).</summary>
/// <param name="maxOpsPerBatch">At most this many operations per batch.</param>
/// <param name="maxBytesPerBatch">A batch ends once its encoded size reaches this (a single larger object still forms a batch).</param>
internal sealed class SnapshotReader(ISyncStorage storage, int maxOpsPerBatch = 10_000, int maxBytesPerBatch = 1024 * 1024)
{
    /// <summary>
    /// Starts a read transaction: everything the snapshot returns is the state at <see cref="FullSyncSnapshot.Position"/>,
    /// whatever is committed while it is enumerated. Objects and links are given in <paramref name="clientModel"/>'s
    /// entity and relation IDs; those of entities or relations it does not have, or that are not sync-enabled there, are
    /// left out. Dispose the snapshot soon: it holds a read transaction open.
    /// </summary>
    /// <param name="filters">The client's sync filters: only the objects they let it see, and the links from those
    /// (docs/filters.md); null or empty: everything.</param>
    public FullSyncSnapshot Open(ObjectBoxModel clientModel, Filters.ClientFilters? filters = null)
    {
        ArgumentNullException.ThrowIfNull(clientModel);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOpsPerBatch, 1);
        return new FullSyncSnapshot(storage.OpenSnapshot(), clientModel, maxOpsPerBatch, maxBytesPerBatch, filters ?? Filters.ClientFilters.None);
    }

    /// <summary>A raw snapshot of the sync data (for the filter-change delta); dispose it soon.</summary>
    public IStorageSnapshot OpenRaw() => storage.OpenSnapshot();
}
