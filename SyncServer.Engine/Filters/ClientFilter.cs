namespace SyncServer.Engine.Filters;

// Immutable; thread-safe.
/// <summary>
/// One entity's filter bound to one login's variables: whether an object (its FlatBuffers bytes) may reach that client
/// or be written by it, and why (<see cref="Explain"/>).
/// </summary>
public sealed class ClientFilter
{
    private readonly FilterPredicate _predicate;

    internal ClientFilter(SyncFilter filter, FilterPredicate predicate)
    {
        Filter = filter;
        _predicate = predicate;
    }

    /// <summary>The entity's filter this was resolved from.</summary>
    public SyncFilter Filter { get; }

    /// <summary>Whether the object matches. Reads only the properties the filter compares.</summary>
    /// <exception cref="Core.Objects.ObjectFormatException">The bytes are not a valid object of the entity.</exception>
    public bool Matches(ReadOnlySpan<byte> data) => _predicate.Matches(data);

    /// <summary>Whether the object matches, with each comparison's values and result, one line per node (indented by
    /// depth), e.g. <c>ownerId == $auth.sub = "u1": ownerId is "u2" → false</c>.</summary>
    public (bool Matches, IReadOnlyList<string> Lines) Explain(ReadOnlySpan<byte> data)
    {
        var lines = new List<string>();
        var result = _predicate.Explain(data, lines, 0);
        return (result, lines);
    }

    /// <summary>Filter index lookups whose union holds every matching object; empty when nothing can match; null when
    /// the index cannot narrow the filter (then every object of the entity is a candidate).</summary>
    internal IReadOnlyList<FilterLookup>? Plan() => _predicate.Plan();
}
