namespace SyncServer.Engine.Filters;

/// <summary>
/// The filter index's values (table <c>filter_index</c>, docs/storage.md): for each property a filter compares with
/// <c>==</c> or <c>IN</c>, the object's value as filters compare it, stored as a long (integers and bools; unsigned
/// 64-bit values above the signed range as their two's-complement reinterpretation), a double or a string. An absent
/// string has no entry (it equals nothing).
/// </summary>
internal static class FilterIndexer
{
    /// <summary>The index entries of one object of the filtered entity with UID <paramref name="entityUid"/>.</summary>
    public static List<(int Key, object Value)> Keys(SyncFilterSet set, ulong entityUid, ReadOnlySpan<byte> data)
    {
        var indexed = set.IndexedPropertiesOf(entityUid);
        var keys = new List<(int, object)>(indexed.Count);
        if (indexed.Count == 0)
        {
            return keys;
        }

        var entity = set.For(entityUid)!.Entity;
        foreach (var (key, kind) in indexed)
        {
            if (FilterPredicate.ReadValue(entity, key.Property, kind, data) is { } value && Key(value) is { } stored)
            {
                keys.Add((key.Number, stored));
            }
        }

        return keys;
    }

    /// <summary>The stored form of a value; null for an integer outside the 64-bit range (nothing stored equals it).</summary>
    public static object? Key(FilterValue value) => value.Kind switch
    {
        FilterValueKind.Integer when value.Integer >= long.MinValue && value.Integer <= long.MaxValue => (long)value.Integer,
        FilterValueKind.Integer when value.Integer > long.MaxValue && value.Integer <= ulong.MaxValue => unchecked((long)(ulong)value.Integer),
        FilterValueKind.Integer => null,
        FilterValueKind.Float => value.Float,
        FilterValueKind.Bool => value.Bool ? 1L : 0L,
        _ => value.Text,
    };
}
