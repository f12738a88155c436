using System.Globalization;

namespace SyncServer.Engine.Filters;

/// <summary>The kinds of values a filter compares: every scalar property type maps to one.</summary>
internal enum FilterValueKind
{
    /// <summary>Bool, byte, short, char, int, long, date, date-nano, relation (signed or unsigned): an <see cref="Int128"/>.</summary>
    Integer,
    Float,
    String,
    Bool,
}

/// <summary>A literal of a filter, a resolved variable, or a property's value, in the form comparisons use.</summary>
internal readonly record struct FilterValue(FilterValueKind Kind, Int128 Integer = default, double Float = 0, string? Text = null, bool Bool = false)
{
    public static FilterValue Of(Int128 value) => new(FilterValueKind.Integer, Integer: value);

    public static FilterValue Of(double value) => new(FilterValueKind.Float, Float: value);

    public static FilterValue Of(string value) => new(FilterValueKind.String, Text: value);

    public static FilterValue Of(bool value) => new(FilterValueKind.Bool, Bool: value);

    /// <summary>This value as one of kind <paramref name="kind"/> (an integer is also a float; a string is parsed as an
    /// integer, float or bool), or null when it does not convert.</summary>
    public FilterValue? ConvertTo(FilterValueKind kind) => (Kind, kind) switch
    {
        _ when Kind == kind => this,
        (FilterValueKind.Integer, FilterValueKind.Float) => Of((double)Integer),
        (FilterValueKind.String, FilterValueKind.Integer) when Int128.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => Of(i),
        (FilterValueKind.String, FilterValueKind.Float) when double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => Of(d),
        (FilterValueKind.String, FilterValueKind.Bool) when bool.TryParse(Text, out var b) => Of(b),
        _ => null,
    };

    /// <summary>Orders two values of the same kind (strings ordinal, or ignoring case).</summary>
    public int CompareTo(FilterValue other, bool ignoreCase = false) => Kind switch
    {
        FilterValueKind.Integer => Integer.CompareTo(other.Integer),
        FilterValueKind.Float => Float.CompareTo(other.Float),
        FilterValueKind.String => string.Compare(Text, other.Text, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal),
        _ => Bool.CompareTo(other.Bool),
    };

    /// <summary>As written in a filter: <c>42</c>, <c>1.5</c>, <c>"text"</c>, <c>true</c>.</summary>
    public override string ToString() => Kind switch
    {
        FilterValueKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        FilterValueKind.Float => Float.ToString("R", CultureInfo.InvariantCulture),
        FilterValueKind.String => System.Text.Json.JsonSerializer.Serialize(Text),
        _ => Bool ? "true" : "false",
    };

    /// <summary>What kind of literal this is, for messages ("an integer").</summary>
    public string Describe() => Kind switch
    {
        FilterValueKind.Integer => "an integer",
        FilterValueKind.Float => "a float",
        FilterValueKind.String => "a string",
        _ => "a bool",
    };
}
