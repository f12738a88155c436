using SyncServer.Core.Model;
using SyncServer.Engine.Schema;

namespace SyncServer.Engine.Filters;

// Singleton, thread-safe: Current is swapped atomically when the schema version changes.
/// <summary>
/// The configured sync filters (<c>syncFilters</c>) over the current schema version: parsed again when the version
/// changes, and guarding model uploads and switches so that no version that would leave a filter invalid becomes
/// current (<see cref="SchemaVersions.ModelGuard"/>).
/// </summary>
public sealed class SyncFilters
{
    private SyncFilterSet _current = SyncFilterSet.None;

    /// <param name="expressions">Entity name to filter expression; null or empty: no filters.</param>
    public SyncFilters(IReadOnlyDictionary<string, string>? expressions)
    {
        Expressions = expressions is null ? new Dictionary<string, string>() : new Dictionary<string, string>(expressions, StringComparer.Ordinal);
    }

    /// <summary>The configured expressions, by entity name.</summary>
    public IReadOnlyDictionary<string, string> Expressions { get; }

    /// <summary>The filters parsed against the current schema version.</summary>
    public SyncFilterSet Current => Volatile.Read(ref _current);

    /// <summary>Parses the filters against <paramref name="model"/>.</summary>
    /// <exception cref="FilterException">A filter does not fit the model; the message names the entity and the position.</exception>
    public SyncFilterSet Parse(ObjectBoxModel model) => SyncFilterSet.Parse(model, Expressions);

    /// <summary>Parses the filters against the current model and follows the schema's later changes.</summary>
    /// <exception cref="FilterException">A filter does not fit the current model.</exception>
    internal void Attach(SchemaVersions schema)
    {
        Volatile.Write(ref _current, schema.Current is { } current ? Parse(current.Model) : SyncFilterSet.None);
        schema.ModelGuard = Guard;
        schema.Changed += (_, _) =>
        {
            if (schema.Current is { } now && !ReferenceEquals(now.Model, _current.Model))
            {
                Volatile.Write(ref _current, Parse(now.Model));
            }
        };
    }

    private SchemaChange? Guard(ObjectBoxModel model)
    {
        try
        {
            Parse(model);
            return null;
        }
        catch (FilterException e)
        {
            return new SchemaChange(SchemaChangeKind.SyncFilterInvalid, $"syncFilters.{e.Entity}", e.Message, IsBreaking: true);
        }
    }
}
