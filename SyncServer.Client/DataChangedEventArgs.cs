namespace SyncServer.Client;

/// <summary>
/// Objects of one entity changed because of data from the server (local writes raise nothing). IDs are local IDs.
/// A changed standalone relation reports its source object among <see cref="PutIds"/>.
/// </summary>
public sealed class DataChangedEventArgs(string entity, IReadOnlyList<ulong> putIds, IReadOnlyList<ulong> removedIds) : EventArgs
{
    public string Entity { get; } = entity;
    public IReadOnlyList<ulong> PutIds { get; } = putIds;
    public IReadOnlyList<ulong> RemovedIds { get; } = removedIds;
}
