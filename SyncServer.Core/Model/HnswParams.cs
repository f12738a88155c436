namespace SyncServer.Core.Model;

/// <summary>Vector-search index parameters of a float-vector property ("hnswParams"). Kept so the model round-trips.</summary>
public sealed record HnswParams
{
    public required ulong Dimensions { get; init; }
    public uint? NeighborsPerNode { get; init; }
    public uint? IndexingSearchCount { get; init; }
    public uint? Flags { get; init; }
    public string? DistanceType { get; init; }
    public float? ReparationBacklinkProbability { get; init; }
    public ulong? VectorCacheHintSizeKb { get; init; }
}
