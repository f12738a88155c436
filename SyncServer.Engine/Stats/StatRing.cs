namespace SyncServer.Engine.Stats;

// Not thread-safe: used under SyncStatistics' lock.
/// <summary>
/// The series of one statistic at one resolution: at most <c>capacity</c> points, one per interval, keyed by the
/// interval's start (UTC ticks, so day intervals start at UTC midnight). A sample for the newest interval is combined into
/// it (counters: added, gauges: the maximum); a sample for a later interval starts a new point and, when full, drops the
/// oldest.
/// </summary>
internal sealed class StatRing(int capacity, TimeSpan interval)
{
    private readonly long[] _keys = new long[capacity];
    private readonly long[] _values = new long[capacity];
    private int _start;
    private int _count;

    public TimeSpan Interval => interval;

    /// <summary>Adds the sample of the second starting at <paramref name="secondTicks"/>.</summary>
    public void Add(long secondTicks, long value, StatMetricKind kind)
    {
        var key = secondTicks - (secondTicks % interval.Ticks);
        if (_count > 0)
        {
            var last = (_start + _count - 1) % capacity;
            if (_keys[last] == key)
            {
                _values[last] = kind == StatMetricKind.Counter ? _values[last] + value : Math.Max(_values[last], value);
                return;
            }

            if (_keys[last] > key)
            {
                return; // the clock went backwards: keep the series ordered
            }
        }

        if (_count == capacity)
        {
            _start = (_start + 1) % capacity;
            _count--;
        }

        var slot = (_start + _count) % capacity;
        _keys[slot] = key;
        _values[slot] = value;
        _count++;
    }

    /// <summary>The points whose interval starts within the last <c>capacity</c> intervals before <paramref name="now"/>.</summary>
    public (List<DateTimeOffset> Timestamps, List<long> Values) Read(DateTimeOffset now)
    {
        var from = now.UtcTicks - (capacity * interval.Ticks);
        var timestamps = new List<DateTimeOffset>(_count);
        var values = new List<long>(_count);
        for (var i = 0; i < _count; i++)
        {
            var slot = (_start + i) % capacity;
            if (_keys[slot] >= from)
            {
                timestamps.Add(new DateTimeOffset(_keys[slot], TimeSpan.Zero));
                values.Add(_values[slot]);
            }
        }

        return (timestamps, values);
    }
}
