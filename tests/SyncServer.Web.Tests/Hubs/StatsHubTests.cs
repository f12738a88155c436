using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Engine.Stats;
using SyncServer.Web.Admin;
using SyncServer.Web.Hubs;
using SyncServer.Web.Tests.Admin;

namespace SyncServer.Web.Tests.Hubs;

/// <summary>The stats hub's methods and message shapes (docs/admin.md) over a real SyncStatistics; the live path over a
/// real connection is in the browser tests.</summary>
public sealed class StatsHubTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly MeterFactory _meters = new();
    private readonly SyncStatistics _stats;
    private readonly StatsHub _hub;

    public StatsHubTests()
    {
        _stats = new SyncStatistics(_meters, _time, NullLoggerFactory.Instance);
        _hub = new StatsHub(new FakeAdminService(_stats), new AdminSessions());
    }

    public void Dispose()
    {
        _hub.Dispose();
        _stats.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void GetMetrics_lists_every_statistic_with_its_kind_as_text()
    {
        var metrics = _hub.GetMetrics();

        Assert.Equal(_stats.MetricNames, metrics.Select(m => m.Name));
        Assert.Equal("gauge", metrics.Single(m => m.Name == StatNames.ClientsConnected).Kind);
        Assert.Equal("counter", metrics.Single(m => m.Name == StatNames.TxsAppliedClient).Kind);
        Assert.Equal("By", metrics.Single(m => m.Name == StatNames.MessageBytesIn).Unit);
    }

    [Fact]
    public void GetSeries_answers_unix_millisecond_timestamps_for_any_case_of_the_resolution()
    {
        _stats.Add(StatCounter.TxsAppliedClient, 4);
        _time.Advance(TimeSpan.FromSeconds(1));

        var series = _hub.GetSeries(StatNames.TxsAppliedClient, "Minute");

        Assert.Equal(new StatSeriesMessage(StatNames.TxsAppliedClient, "minute", [Start.ToUnixTimeMilliseconds()], [4L]), series, SeriesComparer.Instance);
        Assert.Equal([4L], _hub.GetSeries(StatNames.TxsAppliedClient, "second").Values);
    }

    [Theory]
    [InlineData("txs.applied.client", "week", "Unknown resolution 'week'")]
    [InlineData("txs.applied.client", "1", "Unknown resolution '1'")]
    [InlineData("no.such.metric", "second", "There is no statistic 'no.such.metric'")]
    public void GetSeries_refuses_an_unknown_metric_or_resolution_with_a_message_the_caller_sees(string metric, string resolution, string message)
    {
        var error = Assert.Throws<HubException>(() => _hub.GetSeries(metric, resolution));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tick_names_the_second_its_last_second_values_belong_to()
    {
        StatSnapshot? tick = null;
        using var subscription = _stats.Subscribe(t => tick = t);
        _stats.Add(StatCounter.MessagesIn, 2);
        _time.Advance(TimeSpan.FromMilliseconds(1300)); // a tick late by 300 ms still closes 10:00:00

        var message = StatTickMessage.From(tick!);

        Assert.Equal(Start.AddMilliseconds(1300).ToUnixTimeMilliseconds(), message.Timestamp);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), message.Second);
        Assert.Equal(_stats.Get(StatNames.MessagesIn, StatResolution.Second).Timestamps[^1].ToUnixTimeMilliseconds(), message.Second);
        Assert.Equal(2, message.LastSecond[StatNames.MessagesIn]);
        Assert.Equal(2, message.Totals[StatNames.MessagesIn]);
    }

    private sealed class SeriesComparer : IEqualityComparer<StatSeriesMessage>
    {
        public static readonly SeriesComparer Instance = new();

        public bool Equals(StatSeriesMessage? x, StatSeriesMessage? y) =>
            x is not null && y is not null && x.Metric == y.Metric && x.Resolution == y.Resolution
            && x.Timestamps.SequenceEqual(y.Timestamps) && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(StatSeriesMessage obj) => obj.Metric.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class MeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
        {
            var meter = new System.Diagnostics.Metrics.Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
