using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SyncServer.Engine.Stats;

namespace SyncServer.Web.Hosting;

internal static class MetricsEndpointExtensions
{
    /// <summary>
    /// OpenTelemetry metrics over the engine's <c>SyncServer</c> Meter (<see cref="SyncStatistics"/>), exported in the
    /// Prometheus text format by <see cref="MapMetrics"/>. Another exporter (OTLP) is one more line here.
    /// </summary>
    public static IServiceCollection AddSyncMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sync-server", serviceVersion: ServerInfo.Version))
            .WithMetrics(metrics => metrics
                .AddMeter(SyncStatistics.MeterName)
                .AddPrometheusExporter(options =>
                {
                    // Only our own Meter is exported: no otel_scope_* label on every series (docs/metrics.md).
                    options.ScopeInfoEnabled = false;
                }));
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> on the admin port: Prometheus text exposition format (docs/metrics.md). Not authenticated yet:
    /// the admin UI's authentication adds <c>.RequireAuthorization(...)</c> to the returned builder.
    /// </summary>
    public static IEndpointConventionBuilder MapMetrics(this WebApplication app) => app.MapPrometheusScrapingEndpoint("/metrics");
}
