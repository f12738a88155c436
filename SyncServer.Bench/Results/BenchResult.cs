namespace SyncServer.Bench.Results;

/// <summary>One measured figure: its value, the machine reference it is compared with (ratio = value / reference), and
/// whether it meets its target. <see cref="Details"/> holds the raw numbers behind it (counts, times, percentiles).</summary>
internal sealed record BenchResult(
    string Id,
    string Name,
    double Value,
    string Unit,
    string? ReferenceId,
    double? ReferenceValue,
    string? Target,
    bool? TargetMet,
    IReadOnlyDictionary<string, object> Details)
{
    public double? Ratio => ReferenceValue is > 0 ? Value / ReferenceValue.Value : null;
}
