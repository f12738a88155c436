using SyncServer.Client.Clock;
using SyncServer.Client.Tests.Infrastructure;

namespace SyncServer.Client.Tests;

public sealed class HybridLogicalClockTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Values_follow_the_wall_clock_in_the_high_48_bits()
    {
        var clock = new HybridLogicalClock(new ManualTime(Noon), 0);
        Assert.Equal(Noon.ToUnixTimeMilliseconds(), HybridLogicalClock.ToUnixMilliseconds(clock.Next()));
    }

    [Fact]
    public void Values_increase_when_the_wall_clock_stands_still_or_goes_back()
    {
        var time = new ManualTime(Noon);
        var clock = new HybridLogicalClock(time, 0);
        var values = new List<ulong> { clock.Next(), clock.Next(), clock.Next() };
        time.Now = Noon.AddMinutes(-5);
        values.Add(clock.Next());
        time.Now = Noon.AddMinutes(1);
        values.Add(clock.Next());

        Assert.Equal(values.Order(), values);
        Assert.Equal(values.Count, values.Distinct().Count());
    }

    [Fact]
    public void An_observed_value_from_a_device_ahead_pushes_later_values_above_it()
    {
        var clock = new HybridLogicalClock(new ManualTime(Noon), 0);
        var ahead = (ulong)Noon.AddHours(1).ToUnixTimeMilliseconds() << HybridLogicalClock.CounterBits;

        Assert.True(clock.Observe(ahead));
        Assert.False(clock.Observe(ahead - 1));
        Assert.True(clock.Next() > ahead);
    }

    [Fact]
    public async Task Every_put_sets_the_sync_clock_property_higher_than_the_last_even_across_restarts()
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(Noon);
        var clocks = new List<long>();
        await using (var client = new SyncClient(TestModels.Options(dir.Path), time))
        {
            var tasks = client.Box("Task");
            var id = tasks.Put(new Dictionary<string, object?> { ["title"] = "a" });
            clocks.Add((long)tasks.Get(id)!["updatedAt"]!);
            tasks.Put(new Dictionary<string, object?> { ["id"] = id, ["title"] = "b", ["updatedAt"] = 1L });
            clocks.Add((long)tasks.Get(id)!["updatedAt"]!);
        }

        time.Now = Noon.AddDays(-1); // the device clock was set back
        await using (var client = new SyncClient(TestModels.Options(dir.Path), time))
        {
            var tasks = client.Box("Task");
            clocks.Add((long)tasks.Get(tasks.Put(new Dictionary<string, object?> { ["title"] = "c" }))!["updatedAt"]!);
        }

        Assert.Equal(clocks.Order(), clocks);
        Assert.Equal(3, clocks.Distinct().Count());
        Assert.Equal(Noon.ToUnixTimeMilliseconds(), HybridLogicalClock.ToUnixMilliseconds((ulong)clocks[0]));
    }

    [Fact]
    public async Task A_remove_of_a_clock_entity_carries_a_clock_value()
    {
        using var dir = new TempDirectory();
        await using (var client = new SyncClient(TestModels.Options(dir.Path), new ManualTime(Noon)))
        {
            var tasks = client.Box("Task");
            tasks.Remove(tasks.Put(new Dictionary<string, object?> { ["title"] = "a" }));
            var tags = client.Box("Tag");
            tags.Remove(tags.Put(new Dictionary<string, object?> { ["name"] = "x" }));
        }

        var ops = OutboxTests.ReadOutbox(dir.Path).SelectMany(tx => tx).OfType<Core.Protocol.RemoveOp>().ToList();
        Assert.True(ops.Single(o => o.EntityId == TestModels.TaskId).Clock > 0);
        Assert.Equal(0UL, ops.Single(o => o.EntityId == TestModels.TagId).Clock);
    }
}
