using SyncServer.Engine.Stats;
using SyncServer.Web.Components.Charts;
using static SyncServer.Web.Components.Charts.ChartValueFormat;

namespace SyncServer.Web.Components.Pages;

/// <summary>Which statistics the statistics page charts, grouped, and what each resolution shows.</summary>
internal static class StatisticsCharts
{
    public static IReadOnlyList<StatisticsChart> All { get; } =
    [
        Chart("messages", "Messages", Count, (StatNames.MessagesIn, "in"), (StatNames.MessagesOut, "out")),
        Chart("bytes", "Bytes", Bytes, (StatNames.MessageBytesIn, "in"), (StatNames.MessageBytesOut, "out")),
        Chart("applied-txs", "Applied TXs", Count, (StatNames.TxsAppliedClient, "from clients"), (StatNames.TxsAppliedLocal, "local")),
        Chart("clients", "Clients", Count, (StatNames.ClientsConnected, "connected"), (StatNames.ClientsConnects, "new connects")),
        Chart("txs-behind", "TXs behind", Count, (StatNames.ClientsTxsBehindMax, "furthest behind"), (StatNames.ClientsTxsBehindSum, "all clients")),
        Chart("sent-txs", "Sent TXs", Count, (StatNames.TxsSentHistoric, "historic"), (StatNames.TxsSentLive, "live")),
        Chart("full-syncs", "Full syncs", Count, (StatNames.FullSyncs, "full syncs")),
        Chart("failures", "Failures", Count,
            (StatNames.FailuresLogin, "login"), (StatNames.FailuresSend, "send"),
            (StatNames.FailuresDisconnected, "disconnected"), (StatNames.FailuresHeartbeat, "heartbeat"), (StatNames.FailuresStalled, "stalled")),
        Chart("errors", "Errors", Count, (StatNames.ErrorsProtocol, "protocol"), (StatNames.ErrorsHandler, "handler")),
        Chart("duplicates", "Skipped duplicates", Count, (StatNames.TxsDuplicates, "duplicate TXs")),
        Chart("put-conflicts", "Put conflicts", Count, (StatNames.PutConflicts, "lost puts")),
        Chart("sync-filters", "Sync filters", Count, (StatNames.FilterFilteredOut, "objects filtered out"), (StatNames.FilterRefusals, "refused TXs")),
    ];

    /// <summary>Points per line: as many as the engine keeps at that resolution (docs/metrics.md).</summary>
    public static int MaxPoints(StatResolution resolution) => resolution switch
    {
        StatResolution.Second => 60,
        StatResolution.Minute => 60,
        StatResolution.Hour => 24,
        _ => 30,
    };

    /// <summary>What one point covers at a resolution.</summary>
    public static TimeSpan Interval(StatResolution resolution) => resolution switch
    {
        StatResolution.Second => TimeSpan.FromSeconds(1),
        StatResolution.Minute => TimeSpan.FromMinutes(1),
        StatResolution.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>The tooltip's time format (UTC) at a resolution.</summary>
    public static string TimeFormat(StatResolution resolution) => resolution switch
    {
        StatResolution.Second => "HH:mm:ss",
        StatResolution.Minute => "HH:mm",
        StatResolution.Hour => "dd MMM HH:00",
        _ => "dd MMM yyyy",
    };

    /// <summary>"per second", "per minute", ...: what one point of a counter is.</summary>
    public static string PerInterval(StatResolution resolution) => "per " + resolution.ToString().ToLowerInvariant();

    private static StatisticsChart Chart(string key, string title, ChartValueFormat format, params (string Metric, string Label)[] lines) =>
        new(key, title, format, [.. lines.Select(l => new StatisticsLine(l.Metric, l.Label))]);
}
