namespace SyncServer.Web.Components.Charts;

/// <summary>How a chart formats its values on the y axis and in the tooltip.</summary>
public enum ChartValueFormat
{
    /// <summary>Whole numbers with thousands separators.</summary>
    Count,

    /// <summary>Sizes: B, KB, MB, ... (1024-based).</summary>
    Bytes,
}
