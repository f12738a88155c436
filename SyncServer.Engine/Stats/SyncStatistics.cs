using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using SyncServer.Engine.Logging;

namespace SyncServer.Engine.Stats;

// Singleton, thread-safe: hot paths only add to Interlocked totals (the server's and the session's); a TimeProvider timer
// samples them once a second and appends to the series under _gate; readers copy under _gate; subscribers are called
// after the lock is released, on the timer's thread.
/// <summary>
/// The server's statistics (docs/metrics.md): totals and gauges, in-memory time series of each at four resolutions
/// (per second for 60 s, per minute for 60 min, per hour for 24 h, per day for 30 days), a live feed once a second, and
/// the connected clients. The same numbers are published by the <c>SyncServer</c> <see cref="Meter"/>, which
/// OpenTelemetry (and so the Prometheus endpoint) reads.
/// </summary>
public sealed partial class SyncStatistics : IDisposable
{
    /// <summary>The <see cref="Meter"/> name to listen to (OpenTelemetry: <c>AddMeter(SyncStatistics.MeterName)</c>).</summary>
    public const string MeterName = "SyncServer";

    /// <summary>Most client numbers whose last error is remembered after their session ended.</summary>
    private const int MaxRememberedErrors = 10_000;

    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private readonly long[] _totals = new long[Enum.GetValues<StatCounter>().Length];
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Meter _meter;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly StatRing[][] _rings;
    private readonly long[] _lastTotals;
    private readonly ConcurrentDictionary<SessionStats, byte> _clients = new();
    private readonly ConcurrentDictionary<uint, string> _lastErrors = new();
    private long[] _lastSecond;
    private Action<StatSnapshot>[] _subscribers = [];
    private volatile EngineGauges? _engine;
    private long _databaseSizeBytes;
    private bool _disposed;

    public SyncStatistics(IMeterFactory meterFactory, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _time = time;
        _log = loggerFactory.CreateLogger(LogTags.Stats);
        _rings = [.. Definitions.Select(_ => new[]
        {
            new StatRing(60, TimeSpan.FromSeconds(1)),
            new StatRing(60, TimeSpan.FromMinutes(1)),
            new StatRing(24, TimeSpan.FromHours(1)),
            new StatRing(30, TimeSpan.FromDays(1)),
        })];
        _lastTotals = new long[Definitions.Length];
        _lastSecond = new long[Definitions.Length];
        _meter = meterFactory.Create(MeterName);
        CreateInstruments(_meter);
        _timer = time.CreateTimer(static state => ((SyncStatistics)state!).Tick(), this, TickInterval, TickInterval);
    }

    /// <summary>Every statistic's name (the <see cref="StatNames"/> constants), in a fixed order.</summary>
    public IReadOnlyList<string> MetricNames { get; } = [.. Definitions.Select(d => d.Metric.Name)];

    /// <summary>Every statistic with its kind, unit and description, in the order of <see cref="MetricNames"/>.</summary>
    public IReadOnlyList<StatMetric> Metrics { get; } = [.. Definitions.Select(d => d.Metric)];

    /// <summary>Every statistic now: counters' totals and gauges' current values, and the last second's sample.</summary>
    public StatSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                return Snapshot(_time.GetUtcNow(), SampleAll(), _lastSecond);
            }
        }
    }

    /// <summary>The connected (logged-in) clients, by client number.</summary>
    public IReadOnlyList<ClientStats> Clients
    {
        get
        {
            var head = Head();
            return [.. _clients.Keys
                .Select(session => session.ToClientStats(head, _lastErrors.GetValueOrDefault(session.Login!.ClientNumber)))
                .OrderBy(client => client.ClientNumber)];
        }
    }

    /// <summary>The series of <paramref name="metric"/> (a <see cref="StatNames"/> constant) at <paramref name="resolution"/>.</summary>
    /// <exception cref="ArgumentException">There is no statistic of that name.</exception>
    public StatSeries Get(string metric, StatResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!IndexByName.TryGetValue(metric, out var index))
        {
            throw new ArgumentException($"There is no statistic '{metric}'; see SyncStatistics.MetricNames", nameof(metric));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan((int)resolution, (int)StatResolution.Day, nameof(resolution));
        lock (_gate)
        {
            var (timestamps, values) = _rings[index][(int)resolution].Read(_time.GetUtcNow());
            return new StatSeries(metric, resolution, timestamps, values);
        }
    }

    /// <summary>Calls <paramref name="onTick"/> after each once-a-second sample (on a timer thread, so it must not block)
    /// until the returned subscription is disposed. An exception it throws is logged; it stays subscribed.</summary>
    public IDisposable Subscribe(Action<StatSnapshot> onTick)
    {
        ArgumentNullException.ThrowIfNull(onTick);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, onTick];
        }

        return new Subscription(this, onTick);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _subscribers = [];
        }

        _timer.Dispose();
        _meter.Dispose();
    }

    /// <summary>Adds <paramref name="amount"/> to a server total. Lock-free.</summary>
    internal void Add(StatCounter counter, long amount = 1) => Interlocked.Add(ref _totals[(int)counter], amount);

    internal long Total(StatCounter counter) => Interlocked.Read(ref _totals[(int)counter]);

    /// <summary>A new connection: its statistics, listed as a client once it logs in.</summary>
    internal SessionStats SessionStarted(string remoteAddress) => new(this, remoteAddress);

    internal void ClientLoggedIn(SessionStats session)
    {
        _clients.TryAdd(session, 0);
        Add(StatCounter.ClientsConnects);
    }

    /// <summary>The session ended: no longer listed; its last error is remembered for the client number.</summary>
    internal void SessionEnded(SessionStats session)
    {
        _clients.TryRemove(session, out _);
        if (session.Login is { } login && session.LastError is { } error
            && (_lastErrors.Count < MaxRememberedErrors || _lastErrors.ContainsKey(login.ClientNumber)))
        {
            _lastErrors[login.ClientNumber] = error;
        }
    }

    /// <summary>What one writer commit applied (<see cref="Sync.TxWriter"/>).</summary>
    internal void TxsCommitted(long fromClients, long local, long bytes, long operations, long duplicates, long putConflicts)
    {
        Add(StatCounter.TxsAppliedClient, fromClients);
        Add(StatCounter.TxsAppliedLocal, local);
        Add(StatCounter.TxsAppliedBytes, bytes);
        Add(StatCounter.TxsAppliedOperations, operations);
        Add(StatCounter.TxsDuplicates, duplicates);
        Add(StatCounter.PutConflicts, putConflicts);
    }

    /// <summary>The engine started: its database, txlog and head can be sampled.</summary>
    internal void AttachEngine(EngineGauges engine)
    {
        _engine = engine;
        RefreshDatabaseSize();
    }

    /// <summary>The engine stops: its gauges read 0 from now on.</summary>
    internal void DetachEngine()
    {
        _engine = null;
        Volatile.Write(ref _databaseSizeBytes, 0);
    }

    private void Tick()
    {
        RefreshDatabaseSize(); // a SQLite read: outside the lock
        var now = _time.GetUtcNow();
        StatSnapshot snapshot;
        Action<StatSnapshot>[] subscribers;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            // The sample belongs to the second that just ended.
            var second = now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond) - TimeSpan.TicksPerSecond;
            var values = SampleAll();
            var lastSecond = new long[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var kind = Definitions[i].Metric.Kind;
                if (kind == StatMetricKind.Counter)
                {
                    lastSecond[i] = values[i] - _lastTotals[i];
                    _lastTotals[i] = values[i];
                }
                else
                {
                    lastSecond[i] = values[i];
                }

                foreach (var ring in _rings[i])
                {
                    ring.Add(second, lastSecond[i], kind);
                }
            }

            _lastSecond = lastSecond;
            snapshot = Snapshot(now, values, lastSecond);
            subscribers = _subscribers;
        }

        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(snapshot);
            }
#pragma warning disable CA1031 // a failing subscriber (a closed UI connection) must not stop the statistics
            catch (Exception e)
#pragma warning restore CA1031
            {
                StatsLog.SubscriberFailed(_log, e);
            }
        }
    }

    private long[] SampleAll()
    {
        var values = new long[Definitions.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Definitions[i].Read(this);
        }

        return values;
    }

    private static StatSnapshot Snapshot(DateTimeOffset now, long[] values, long[] lastSecond)
    {
        var current = new Dictionary<string, long>(values.Length, StringComparer.Ordinal);
        var perSecond = new Dictionary<string, long>(values.Length, StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            current[Definitions[i].Metric.Name] = values[i];
            perSecond[Definitions[i].Metric.Name] = lastSecond[i];
        }

        return new StatSnapshot(now, current, perSecond);
    }

    private void RefreshDatabaseSize()
    {
        if (_engine is { } engine && TryRead(StatNames.DatabaseSize, engine.DatabaseSizeBytes) is { } size)
        {
            Volatile.Write(ref _databaseSizeBytes, size);
        }
    }

    private void Unsubscribe(Action<StatSnapshot> onTick)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, onTick);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
            }
        }
    }

    private sealed class Subscription(SyncStatistics owner, Action<StatSnapshot> onTick) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(onTick);
            }
        }
    }
}
