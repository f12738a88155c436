using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Tests.Stats;

public sealed class SyncStatisticsTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly TestMeterFactory _meters = new();
    private readonly SyncStatistics _stats;

    public SyncStatisticsTests() => _stats = new SyncStatistics(_meters, _time, NullLoggerFactory.Instance);

    public void Dispose()
    {
        _stats.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void Every_statistic_has_a_name_and_all_four_series_start_empty()
    {
        Assert.Equal(29, _stats.MetricNames.Count);
        Assert.Equal(_stats.MetricNames, _stats.Metrics.Select(m => m.Name));
        Assert.Contains(StatNames.ClientsConnected, _stats.MetricNames);
        foreach (var metric in _stats.MetricNames)
        {
            foreach (var resolution in Enum.GetValues<StatResolution>())
            {
                var series = _stats.Get(metric, resolution);
                Assert.Empty(series.Timestamps);
                Assert.Empty(series.Values);
            }
        }

        Assert.Throws<ArgumentException>(() => _stats.Get("no.such.metric", StatResolution.Second));
    }

    [Fact]
    public void Counter_increases_land_in_the_second_they_happened_and_add_up_in_the_minute_and_hour()
    {
        _stats.Add(StatCounter.MessagesIn, 3);
        _time.Advance(TimeSpan.FromSeconds(1)); // 10:00:01: sample of 10:00:00
        _time.Advance(TimeSpan.FromSeconds(1)); // 10:00:02: sample of 10:00:01 (nothing happened)
        _stats.Add(StatCounter.MessagesIn, 4);
        _time.Advance(TimeSpan.FromSeconds(1)); // 10:00:03: sample of 10:00:02

        var seconds = _stats.Get(StatNames.MessagesIn, StatResolution.Second);
        Assert.Equal([Start, Start.AddSeconds(1), Start.AddSeconds(2)], seconds.Timestamps);
        Assert.Equal([3L, 0, 4], seconds.Values);
        Assert.Equal([7L], _stats.Get(StatNames.MessagesIn, StatResolution.Minute).Values);
        Assert.Equal([Start], _stats.Get(StatNames.MessagesIn, StatResolution.Hour).Timestamps);
        Assert.Equal([7L], _stats.Get(StatNames.MessagesIn, StatResolution.Day).Values);
        Assert.Equal(7, _stats.Current[StatNames.MessagesIn]);
        Assert.Equal(4, _stats.Current.LastSecond[StatNames.MessagesIn]);
    }

    [Fact]
    public void Seconds_roll_into_minutes_and_minutes_into_hours_and_old_points_drop_out()
    {
        // One message in every second for 61 minutes.
        for (var i = 0; i < 61 * 60; i++)
        {
            _stats.Add(StatCounter.MessagesIn);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // Now 11:01:00. Seconds: the last 60, from 11:00:00 to 11:00:59.
        var seconds = _stats.Get(StatNames.MessagesIn, StatResolution.Second);
        Assert.Equal(60, seconds.Values.Count);
        Assert.All(seconds.Values, v => Assert.Equal(1, v));
        Assert.Equal(Start.AddMinutes(60), seconds.Timestamps[0]);
        Assert.Equal(Start.AddMinutes(61).AddSeconds(-1), seconds.Timestamps[^1]);

        // Minutes: 10:00 dropped out; 10:01 ... 11:00 have 60 each.
        var minutes = _stats.Get(StatNames.MessagesIn, StatResolution.Minute);
        Assert.Equal(60, minutes.Values.Count);
        Assert.Equal(Start.AddMinutes(1), minutes.Timestamps[0]);
        Assert.Equal(Start.AddMinutes(60), minutes.Timestamps[^1]);
        Assert.All(minutes.Values, v => Assert.Equal(60, v));

        // Hours: 10:00 complete with 3,600, 11:00 in progress with 60.
        var hours = _stats.Get(StatNames.MessagesIn, StatResolution.Hour);
        Assert.Equal([Start, Start.AddHours(1)], hours.Timestamps);
        Assert.Equal([3600L, 60], hours.Values);
        Assert.Equal([3660L], _stats.Get(StatNames.MessagesIn, StatResolution.Day).Values);
    }

    [Fact]
    public void After_a_gap_without_samples_points_older_than_the_window_drop_out()
    {
        _stats.Add(StatCounter.MessagesOut, 5);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([Start], _stats.Get(StatNames.MessagesOut, StatResolution.Second).Timestamps);

        // The process stalls for a minute: the next sample (10:01:01) is for 10:01:00; 10:00:00 is out of the window.
        _time.Advance(TimeSpan.FromSeconds(60));

        var seconds = _stats.Get(StatNames.MessagesOut, StatResolution.Second);
        Assert.Equal([Start.AddMinutes(1)], seconds.Timestamps);
        Assert.Equal([0L], seconds.Values);
        Assert.Equal([Start, Start.AddMinutes(1)], _stats.Get(StatNames.MessagesOut, StatResolution.Minute).Timestamps);
        Assert.Equal([5L, 0], _stats.Get(StatNames.MessagesOut, StatResolution.Minute).Values);
    }

    [Fact]
    public void A_gauge_point_is_the_highest_value_sampled_in_its_interval()
    {
        var first = _stats.SessionStarted("10.0.0.1:1000");
        var second = _stats.SessionStarted("10.0.0.2:1000");
        first.LoggedIn([1], 1, 1, 0, Start);
        second.LoggedIn([2], 2, 1, 0, Start);
        _time.Advance(TimeSpan.FromSeconds(1)); // 2 connected
        _stats.SessionEnded(second);
        _time.Advance(TimeSpan.FromSeconds(1)); // 1 connected
        _stats.SessionEnded(first);
        _time.Advance(TimeSpan.FromSeconds(1)); // 0 connected

        Assert.Equal([2L, 1, 0], _stats.Get(StatNames.ClientsConnected, StatResolution.Second).Values);
        Assert.Equal([2L], _stats.Get(StatNames.ClientsConnected, StatResolution.Minute).Values);
        Assert.Equal(0, _stats.Current[StatNames.ClientsConnected]);
        Assert.Equal(2, _stats.Current[StatNames.ClientsConnects]);
    }

    [Fact]
    public void Subscribers_get_a_snapshot_every_second_until_they_dispose_the_subscription()
    {
        var received = new List<StatSnapshot>();
        var subscription = _stats.Subscribe(received.Add);
        using var failing = _stats.Subscribe(_ => throw new InvalidOperationException("a broken UI connection"));

        _stats.Add(StatCounter.TxsSentLive, 2);
        _time.Advance(TimeSpan.FromSeconds(1));
        _stats.Add(StatCounter.TxsSentLive, 3);
        _time.Advance(TimeSpan.FromSeconds(1));
        subscription.Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, received.Count);
        Assert.Equal([2L, 3], received.Select(s => s.LastSecond[StatNames.TxsSentLive]));
        Assert.Equal([2L, 5], received.Select(s => s[StatNames.TxsSentLive]));
        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(2)], received.Select(s => s.Timestamp));
    }

    [Fact]
    public void Writer_commits_feed_the_transaction_counters()
    {
        _stats.TxsCommitted(fromClients: 3, local: 1, bytes: 300, operations: 7, duplicates: 2, putConflicts: 1);

        var now = _stats.Current;
        Assert.Equal(
            [3L, 1, 300, 7, 2, 1],
            new[] { StatNames.TxsAppliedClient, StatNames.TxsAppliedLocal, StatNames.TxsAppliedBytes, StatNames.TxsAppliedOperations, StatNames.TxsDuplicates, StatNames.PutConflicts }
                .Select(name => now[name]));
    }

    [Fact]
    public void Engine_gauges_are_sampled_and_read_0_once_the_engine_is_detached()
    {
        ulong head = 10;
        _stats.AttachEngine(new EngineGauges(() => 4096, () => 1234, () => head, () => 4));
        var client = _stats.SessionStarted("10.0.0.1:1000");
        client.LoggedIn([0xAB, 0x01], 7, 2, 6, Start);

        var now = _stats.Current;
        Assert.Equal((4096L, 1234L, 7L), (now[StatNames.DatabaseSize], now[StatNames.TxLogSize], now[StatNames.TxLogEntries]));
        Assert.Equal((4L, 4L), (now[StatNames.ClientsTxsBehindMax], now[StatNames.ClientsTxsBehindSum]));
        var listed = Assert.Single(_stats.Clients);
        Assert.Equal(("AB01", 7u, "10.0.0.1:1000", 2, 6ul, 4ul), (listed.ClientId, listed.ClientNumber, listed.RemoteAddress, listed.SchemaVersion, listed.Position, listed.TxsBehind));

        _stats.DetachEngine();

        now = _stats.Current;
        Assert.Equal((0L, 0L, 0L), (now[StatNames.DatabaseSize], now[StatNames.TxLogSize], now[StatNames.TxLogEntries]));
    }

    [Fact]
    public void A_failing_engine_gauge_is_skipped_not_thrown()
    {
        _stats.AttachEngine(new EngineGauges(() => throw new ObjectDisposedException("db"), () => 1, () => throw new ObjectDisposedException("feed"), () => 1));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal((0L, 1L, 0L), (_stats.Current[StatNames.DatabaseSize], _stats.Current[StatNames.TxLogSize], _stats.Current[StatNames.TxLogEntries]));
    }
}
