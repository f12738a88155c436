using System.Globalization;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;

namespace SyncServer.Engine.Data;

// Sorting by a property's value, which SQLite cannot see (it is inside each object's FlatBuffers bytes).
//
// Cost of one PageByProperty call, for an entity of n objects (n <= PropertySortLimit):
//   - one read transaction: a count, one pass over the entity's rows (every object's bytes are read from SQLite once;
//     only the sort property's field is decoded, with ObjectCodec.TryReadProperty), then one lookup by ID per object of
//     the page;
//   - memory: one key per object (about 40 bytes, plus the string for a String property), freed when the call returns;
//   - time: O(n) reading + O(n log n) comparisons. Nothing is cached: every page request sorts again.
public sealed partial class ObjectBrowser
{
    /// <summary>
    /// Whether objects can be sorted by <paramref name="property"/>: bools, integers, chars, floating point, strings, dates
    /// and ToOne relations can; vectors, bytes, Flex and untyped properties cannot.
    /// </summary>
    public static bool CanSortBy(ModelProperty property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.Type is PropertyType.Bool or PropertyType.Byte or PropertyType.Short or PropertyType.Char
            or PropertyType.Int or PropertyType.Long or PropertyType.Float or PropertyType.Double or PropertyType.String
            or PropertyType.Date or PropertyType.Relation or PropertyType.DateNano;
    }

    /// <summary>Why an entity with <paramref name="objectCount"/> objects cannot be sorted by a property; null when it can.</summary>
    public string? PropertySortRefusal(ModelEntity entity, long objectCount)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return objectCount <= PropertySortLimit
            ? null
            : string.Format(
                CultureInfo.InvariantCulture,
                "Sorting by a property is off for \"{0}\": it has {1:N0} objects, more than the limit of {2:N0} (a property sort "
                + "decodes every object; --admin-sort-limit sets the limit). Sorting by ID or last change works at any size.",
                entity.Name,
                objectCount,
                PropertySortLimit);
    }

    /// <summary>
    /// One page of an entity's objects sorted by a property's value: ascending puts objects without the value (and objects
    /// whose bytes do not decode) first, then by value (strings ordinally, unsigned integers as unsigned, NaN below every
    /// number); equal values by ID. Descending is the exact reverse, so paging either way is consistent. The count,
    /// sort and page come from one committed state.
    /// </summary>
    /// <exception cref="ArgumentException">The entity has no such property, or it cannot be sorted by (<see cref="CanSortBy"/>).</exception>
    /// <exception cref="PropertySortRefusedException">The entity has more than <see cref="PropertySortLimit"/> objects.</exception>
    public IReadOnlyList<StoredObject> PageByProperty(ModelEntity entity, uint propertyId, int skip, int take, bool descending = false)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var property = entity.FindProperty(propertyId)
            ?? throw new ArgumentException($"Entity \"{entity.Name}\" has no property with ID {propertyId}.", nameof(propertyId));
        if (!CanSortBy(property))
        {
            throw new ArgumentException(
                $"Entity \"{entity.Name}\" property \"{property.Name}\" ({property.Type}) cannot be sorted by.", nameof(propertyId));
        }

        using var snapshot = _storage.OpenSnapshot();
        var count = snapshot.CountObjects(entity.Id.Uid);
        if (PropertySortRefusal(entity, count) is { } refusal)
        {
            throw new PropertySortRefusedException(refusal, count, PropertySortLimit);
        }

        var entries = new List<(PropertySortKey Key, ulong Id)>((int)count);
        snapshot.ScanObjects(entity.Id.Uid, (id, data) => entries.Add((ReadKey(entity, data, propertyId), id)));
        entries.Sort(descending ? static (a, b) => CompareEntries(b, a) : static (a, b) => CompareEntries(a, b));
        return snapshot.GetObjects(entity.Id.Uid, entries.Skip(skip).Take(take).Select(e => e.Id));
    }

    private static PropertySortKey ReadKey(ModelEntity entity, ReadOnlySpan<byte> data, uint propertyId)
    {
        try
        {
            return ObjectCodec.TryReadProperty(entity, data, propertyId, out var value) ? PropertySortKey.Of(value) : default;
        }
        catch (ObjectFormatException)
        {
            // Shown as undecodable in the grid; sorted with the objects that have no value.
            return default;
        }
    }

    private static int CompareEntries((PropertySortKey Key, ulong Id) a, (PropertySortKey Key, ulong Id) b)
    {
        var byKey = PropertySortKey.Compare(a.Key, b.Key);
        return byKey != 0 ? byKey : a.Id.CompareTo(b.Id);
    }
}
