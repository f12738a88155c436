using System.Runtime.CompilerServices;

namespace SyncServer.Client;

/// <summary>
/// The value of one filter variable, <c>$client.&lt;name&gt;</c> in the server's sync filters (docs/filters.md): one string,
/// or a list of strings (for <c>IN</c>). A string converts to a single value and a collection expression to a list, so
/// <c>["team"] = "green"</c> and <c>["groups"] = ["a", "b"]</c> both work in a dictionary initializer. Immutable.
/// </summary>
[CollectionBuilder(typeof(FilterVariableValue), nameof(Create))]
public sealed class FilterVariableValue : IEquatable<FilterVariableValue>
{
    private readonly string[] _values;

    private FilterVariableValue(string[] values, bool isList)
    {
        _values = values;
        IsList = isList;
    }

    /// <summary>Whether this is a list (for <c>IN</c>), even one of one or no element, rather than a single value.</summary>
    public bool IsList { get; }

    /// <summary>The single value's one element, or the list's elements.</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>A single value.</summary>
    public static FilterVariableValue Of(string value) => new([value], isList: false);

    /// <summary>A list of values (for <c>IN</c>); copied.</summary>
    public static FilterVariableValue List(params IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new([.. values], isList: true);
    }

    /// <summary>For collection expressions: <c>["a", "b"]</c> is a list.</summary>
    public static FilterVariableValue Create(ReadOnlySpan<string> values) => new(values.ToArray(), isList: true);

    public static implicit operator FilterVariableValue(string value) => Of(value);

    /// <summary>The elements (<see cref="Values"/>); lets a collection expression build a list.</summary>
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_values).GetEnumerator();

    public bool Equals(FilterVariableValue? other) =>
        other is not null && IsList == other.IsList && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as FilterVariableValue);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(IsList);
        foreach (var value in _values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary><c>"green"</c> for a single value, <c>["a", "b"]</c> for a list.</summary>
    public override string ToString() => IsList ? $"[{string.Join(", ", _values.Select(Quote))}]" : Quote(_values[0]);

    private static string Quote(string? value) => value is null ? "null" : $"\"{value}\"";
}
