using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Engine.Stats;

namespace SyncServer.Engine.Tests.Stats;

/// <summary>The <c>SyncServer</c> Meter, as any listener (OpenTelemetry included) sees it.</summary>
public sealed class SyncMeterTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly SyncStatistics _stats;
    private readonly MeterListener _listener = new();
    private readonly List<Instrument> _published = [];
    private readonly List<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

    public SyncMeterTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SyncStatistics.MeterName && ReferenceEquals(instrument.Meter.Scope, _meters))
            {
                _published.Add(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Add((instrument.Name, value, tags.ToArray())));
        _listener.Start();
        _stats = new SyncStatistics(_meters, new FakeTimeProvider(), NullLoggerFactory.Instance);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _stats.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void The_meter_publishes_every_instrument_with_its_kind_and_unit()
    {
        var expected = new (string Name, Type Kind, string Unit)[]
        {
            ("syncserver.messages.in", typeof(ObservableCounter<long>), "{message}"),
            ("syncserver.messages.out", typeof(ObservableCounter<long>), "{message}"),
            ("syncserver.messages.in.bytes", typeof(ObservableCounter<long>), "By"),
            ("syncserver.messages.out.bytes", typeof(ObservableCounter<long>), "By"),
            ("syncserver.txs.applied", typeof(ObservableCounter<long>), "{tx}"),
            ("syncserver.txs.applied.bytes", typeof(ObservableCounter<long>), "By"),
            ("syncserver.txs.applied.operations", typeof(ObservableCounter<long>), "{operation}"),
            ("syncserver.txs.duplicates", typeof(ObservableCounter<long>), "{tx}"),
            ("syncserver.put.conflicts", typeof(ObservableCounter<long>), "{operation}"),
            ("syncserver.clients.connected", typeof(ObservableGauge<long>), "{client}"),
            ("syncserver.clients.connects", typeof(ObservableCounter<long>), "{client}"),
            ("syncserver.clients.txs_behind.max", typeof(ObservableGauge<long>), "{tx}"),
            ("syncserver.clients.txs_behind.sum", typeof(ObservableGauge<long>), "{tx}"),
            ("syncserver.txs.sent", typeof(ObservableCounter<long>), "{tx}"),
            ("syncserver.full_syncs", typeof(ObservableCounter<long>), "{sync}"),
            ("syncserver.failures", typeof(ObservableCounter<long>), "{failure}"),
            ("syncserver.errors", typeof(ObservableCounter<long>), "{error}"),
            ("syncserver.database.size", typeof(ObservableGauge<long>), "By"),
            ("syncserver.txlog.size", typeof(ObservableGauge<long>), "By"),
            ("syncserver.txlog.entries", typeof(ObservableGauge<long>), "{tx}"),
            ("syncserver.filter.filtered_out", typeof(ObservableCounter<long>), "{object}"),
            ("syncserver.filter.refusals", typeof(Counter<long>), "{tx}"),
            ("syncserver.filter.evaluation.duration", typeof(Histogram<double>), "s"),
        };

        Assert.Equal(expected, _published.Select(i => (i.Name, i.GetType(), i.Unit!)));
        Assert.All(_published, i => Assert.False(string.IsNullOrEmpty(i.Description)));
    }

    [Fact]
    public void Observing_the_instruments_reports_the_totals_with_their_tags()
    {
        var session = _stats.SessionStarted("127.0.0.1:5000");
        session.Received(100);
        session.Received(20);
        session.Sent(7);
        session.LoggedIn([1, 2, 3], 1, 1, 0, DateTimeOffset.UnixEpoch);
        session.TxsSent(historic: true, 3);
        session.Failed(StatFailure.Heartbeat, "ERROR HeartbeatTimeout: nothing received");
        session.Failed(StatFailure.Disconnected, "only the first failure of a session counts");
        _stats.TxsCommitted(fromClients: 2, local: 1, bytes: 50, operations: 4, duplicates: 0, putConflicts: 0);

        _listener.RecordObservableInstruments();

        Assert.Equal(2, Value("syncserver.messages.in"));
        Assert.Equal(120, Value("syncserver.messages.in.bytes"));
        Assert.Equal((1L, 7L), (Value("syncserver.messages.out"), Value("syncserver.messages.out.bytes")));
        Assert.Equal((2L, 1L), (Value("syncserver.txs.applied", ("source", "client")), Value("syncserver.txs.applied", ("source", "local"))));
        Assert.Equal((3L, 0L), (Value("syncserver.txs.sent", ("kind", "historic")), Value("syncserver.txs.sent", ("kind", "live"))));
        Assert.Equal((1L, 0L), (Value("syncserver.failures", ("kind", "heartbeat")), Value("syncserver.failures", ("kind", "disconnected"))));
        Assert.Equal((1L, 1L), (Value("syncserver.clients.connected"), Value("syncserver.clients.connects")));

        _stats.SessionEnded(session);
        _measurements.Clear();
        _listener.RecordObservableInstruments();

        Assert.Equal(0, Value("syncserver.clients.connected"));
    }

    private long Value(string instrument, (string Key, string Value)? tag = null) =>
        Assert.Single(_measurements, m => m.Instrument == instrument
            && (tag is not { } t ? m.Tags.Length == 0 : m.Tags.Any(kv => kv.Key == t.Key && Equals(kv.Value, t.Value)))).Value;
}
