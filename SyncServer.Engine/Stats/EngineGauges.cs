namespace SyncServer.Engine.Stats;

/// <summary>What the started engine lets <see cref="SyncStatistics"/> sample: each delegate is thread-safe and may throw
/// once the engine stops (the sample is then skipped).</summary>
internal sealed record EngineGauges(Func<long> DatabaseSizeBytes, Func<long> TxLogBytes, Func<ulong> Head, Func<ulong> RetainedFrom);
