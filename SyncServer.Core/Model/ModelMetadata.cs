namespace SyncServer.Core.Model;

/// <summary>The model file's top-level bookkeeping: the last assigned IDs and the UIDs that must never come back.</summary>
public sealed record ModelMetadata
{
    public IdUid LastEntityId { get; init; }
    public IdUid LastIndexId { get; init; }
    public IdUid LastRelationId { get; init; }
    public IdUid LastSequenceId { get; init; }
    /// <summary>"modelVersion": the file format version (4 and 5 exist in the wild).</summary>
    public int ModelVersion { get; init; }
    public int ModelVersionParserMinimum { get; init; }
    /// <summary>"version": the generator's own counter (0 in old Go files).</summary>
    public long Version { get; init; }
    public IReadOnlyList<ulong> RetiredEntityUids { get; init; } = [];
    public IReadOnlyList<ulong> RetiredPropertyUids { get; init; } = [];
    public IReadOnlyList<ulong> RetiredIndexUids { get; init; } = [];
    public IReadOnlyList<ulong> RetiredRelationUids { get; init; } = [];
}
