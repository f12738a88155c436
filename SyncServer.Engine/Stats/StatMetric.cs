namespace SyncServer.Engine.Stats;

/// <summary>One statistic: its name in <see cref="SyncStatistics"/> (see <see cref="StatNames"/>), kind, unit
/// (UCUM, as the Meter uses it: <c>By</c> for bytes, <c>{message}</c> for a count of messages) and what it counts.</summary>
public sealed record StatMetric(string Name, StatMetricKind Kind, string Unit, string Description);
