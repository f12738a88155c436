using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Tests.Stats;

public sealed class StatRingTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Days_start_at_UTC_midnight_and_the_31st_day_pushes_out_the_first()
    {
        var days = new StatRing(30, TimeSpan.FromDays(1));
        for (var day = 0; day < 31; day++)
        {
            // Two samples a day, at 08:00:00 and 20:30:15.
            days.Add(Day1.AddDays(day).AddHours(8).UtcTicks, day, StatMetricKind.Counter);
            days.Add(Day1.AddDays(day).AddHours(20).AddMinutes(30).AddSeconds(15).UtcTicks, 1, StatMetricKind.Counter);
        }

        var (timestamps, values) = days.Read(Day1.AddDays(30).AddHours(21));

        Assert.Equal(30, timestamps.Count);
        Assert.Equal(Day1.AddDays(1), timestamps[0]);
        Assert.Equal(Day1.AddDays(30), timestamps[^1]);
        Assert.All(timestamps, t => Assert.Equal(TimeSpan.Zero, t.TimeOfDay));
        Assert.Equal(Enumerable.Range(1, 30).Select(day => (long)day + 1), values);
    }

    [Fact]
    public void Gauge_samples_of_one_hour_keep_the_maximum_and_a_sample_from_the_past_is_ignored()
    {
        var hours = new StatRing(24, TimeSpan.FromHours(1));
        var ten = Day1.AddHours(10);
        hours.Add(ten.AddMinutes(1).UtcTicks, 5, StatMetricKind.Gauge);
        hours.Add(ten.AddMinutes(30).UtcTicks, 9, StatMetricKind.Gauge);
        hours.Add(ten.AddMinutes(59).UtcTicks, 2, StatMetricKind.Gauge);
        hours.Add(ten.AddHours(1).UtcTicks, 1, StatMetricKind.Gauge);
        hours.Add(ten.AddMinutes(5).UtcTicks, 100, StatMetricKind.Gauge); // the clock went back: dropped

        var (timestamps, values) = hours.Read(ten.AddHours(1).AddMinutes(1));

        Assert.Equal([ten, ten.AddHours(1)], timestamps);
        Assert.Equal([9L, 1], values);
    }

    [Fact]
    public void Points_older_than_the_window_are_not_read_even_when_the_ring_is_not_full()
    {
        var hours = new StatRing(24, TimeSpan.FromHours(1));
        hours.Add(Day1.UtcTicks, 1, StatMetricKind.Counter);
        hours.Add(Day1.AddHours(3).UtcTicks, 2, StatMetricKind.Counter);

        Assert.Equal([1L, 2], hours.Read(Day1.AddHours(23)).Values);
        Assert.Equal([2L], hours.Read(Day1.AddHours(25)).Values);
        Assert.Empty(hours.Read(Day1.AddDays(2)).Values);
    }
}
