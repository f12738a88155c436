namespace SyncServer.Engine.Data;

/// <summary>
/// One object's value of the property it is sorted by, reduced to what orders it: null (the field is absent, or the
/// object's bytes are malformed), a signed or unsigned 64-bit integer, a double or a string. All non-null keys of one
/// sort have the same kind, since they come from one property.
/// </summary>
internal readonly struct PropertySortKey
{
    private readonly Kind _kind;
    private readonly long _bits;
    private readonly double _real;
    private readonly string? _text;

    private PropertySortKey(Kind kind, long bits = 0, double real = 0, string? text = null)
    {
        _kind = kind;
        _bits = bits;
        _real = real;
        _text = text;
    }

    private enum Kind
    {
        Null,
        Signed,
        Unsigned,
        Real,
        Text,
    }

    public bool IsNull => _kind == Kind.Null;

    /// <summary>The key of a value as <see cref="Core.Objects.ObjectCodec.TryReadProperty"/> reads it (null when absent).</summary>
    /// <exception cref="ArgumentException">A value of a type that does not sort (a vector, bytes).</exception>
    public static PropertySortKey Of(object? value) => value switch
    {
        null => default,
        bool b => new(Kind.Signed, b ? 1 : 0),
        sbyte n => new(Kind.Signed, n),
        byte n => new(Kind.Signed, n),
        short n => new(Kind.Signed, n),
        ushort n => new(Kind.Signed, n),
        char c => new(Kind.Signed, c),
        int n => new(Kind.Signed, n),
        uint n => new(Kind.Signed, n),
        long n => new(Kind.Signed, n),
        ulong n => new(Kind.Unsigned, unchecked((long)n)),
        float f => new(Kind.Real, real: f),
        double d => new(Kind.Real, real: d),
        string s => new(Kind.Text, text: s),
        _ => throw new ArgumentException($"A {value.GetType().Name} value does not sort.", nameof(value)),
    };

    /// <summary>
    /// Null first; integers by value (unsigned ones as unsigned), floating point as <see cref="double.CompareTo(double)"/>
    /// (NaN below every number, -0 equal to 0), strings ordinally by UTF-16 code unit.
    /// </summary>
    public static int Compare(in PropertySortKey a, in PropertySortKey b)
    {
        if (a.IsNull || b.IsNull)
        {
            return a.IsNull == b.IsNull ? 0 : a.IsNull ? -1 : 1;
        }

        return a._kind switch
        {
            Kind.Signed => a._bits.CompareTo(b._bits),
            Kind.Unsigned => unchecked((ulong)a._bits).CompareTo(unchecked((ulong)b._bits)),
            Kind.Real => a._real.CompareTo(b._real),
            _ => string.CompareOrdinal(a._text, b._text),
        };
    }
}
