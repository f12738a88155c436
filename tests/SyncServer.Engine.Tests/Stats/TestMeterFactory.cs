using System.Diagnostics.Metrics;

namespace SyncServer.Engine.Tests.Stats;

/// <summary>An <see cref="IMeterFactory"/> for one test: its meters carry it as their scope, so a
/// <see cref="MeterListener"/> can tell them from other tests' meters of the same name.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
