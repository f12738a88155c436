using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Stats;

/// <summary>The statistics' log messages (category <see cref="Logging.LogTags.Stats"/>).</summary>
internal static partial class StatsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "A statistics subscriber failed; it stays subscribed")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Statistics sample skipped for {Metric}: {Reason}")]
    public static partial void SampleFailed(ILogger logger, string metric, string reason);
}
