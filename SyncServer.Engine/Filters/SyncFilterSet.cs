using System.Text;
using SyncServer.Core.Model;

namespace SyncServer.Engine.Filters;

// Immutable; thread-safe.
/// <summary>
/// The server's sync filters (config key <c>syncFilters</c>, entity name to expression) parsed against one model: which
/// entities are filtered, and the <see cref="ClientFilters"/> of one login. An entity without a filter syncs to everyone.
/// </summary>
public sealed class SyncFilterSet
{
    private readonly Dictionary<ulong, SyncFilter> _byEntityUid;
    private readonly Dictionary<ulong, IReadOnlyList<(FilterIndexKey Key, FilterValueKind Kind)>> _indexedByEntity;

    private SyncFilterSet(ObjectBoxModel? model, IReadOnlyDictionary<string, string> expressions, Dictionary<ulong, SyncFilter> byEntityUid)
    {
        Model = model;
        Expressions = expressions;
        _byEntityUid = byEntityUid;
        foreach (var entity in model?.Entities ?? [])
        {
            if (byEntityUid.ContainsKey(entity.Id.Uid))
            {
                EntityIds[entity.Id.Id] = entity.Id.Uid;
                foreach (var relation in entity.Relations)
                {
                    RelationSources[relation.Id.Id] = entity.Id.Uid;
                }
            }
        }

        Filters = [.. byEntityUid.Values.OrderBy(f => f.EntityName, StringComparer.Ordinal)];
        Variables = [.. Filters.SelectMany(f => f.Variables).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        IndexedProperties = [.. Filters.SelectMany(f => f.EqualityProperties.Select(p => (Entity: f.EntityUid, Property: p)))
            .DistinctBy(k => (k.Entity, k.Property.Id.Uid)).OrderBy(k => k.Entity).ThenBy(k => k.Property.Id.Uid)
            .Select((k, i) => new FilterIndexKey(i + 1, k.Entity, k.Property.Id.Uid, k.Property))];
        IndexSignature = string.Join(",", IndexedProperties.Select(k => $"{k.EntityUid}:{k.PropertyUid}"));
        _indexedByEntity = IndexedProperties.GroupBy(k => k.EntityUid)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(FilterIndexKey, FilterValueKind)>)[.. g.Select(k => (k, SyncFilter.KindOf(k.Property)!.Value))]);
    }

    /// <summary>No filters: every client sees every synced object.</summary>
    public static SyncFilterSet None { get; } = new(null, new Dictionary<string, string>(), []);

    /// <summary>The model the filters were parsed against; null for <see cref="None"/>.</summary>
    public ObjectBoxModel? Model { get; }

    /// <summary>Filtered entities: entity ID (as in ops) to UID.</summary>
    internal Dictionary<uint, ulong> EntityIds { get; } = [];

    /// <summary>Standalone relations whose source entity is filtered: relation ID to the source entity's UID.</summary>
    internal Dictionary<uint, ulong> RelationSources { get; } = [];

    /// <summary>The expressions as configured, by entity name.</summary>
    public IReadOnlyDictionary<string, string> Expressions { get; }

    /// <summary>The parsed filters, by entity name.</summary>
    public IReadOnlyList<SyncFilter> Filters { get; }

    /// <summary>Every variable the filters read (<c>$auth.sub</c>, <c>$client.team</c>), sorted.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>The properties compared with <c>==</c> or <c>IN</c>: the filter index keeps their values
    /// (docs/filters.md, "Cost").</summary>
    public IReadOnlyList<FilterIndexKey> IndexedProperties { get; }

    /// <summary>Names <see cref="IndexedProperties"/>: the stored index is rebuilt when it changes.</summary>
    public string IndexSignature { get; }

    public bool IsEmpty => _byEntityUid.Count == 0;

    /// <summary>
    /// Parses every expression against <paramref name="model"/>.
    /// </summary>
    /// <exception cref="FilterException">An entity is unknown or not synced, or an expression does not parse or does not fit
    /// the entity; the message names the entity and the 1-based character position.</exception>
    public static SyncFilterSet Parse(ObjectBoxModel model, IReadOnlyDictionary<string, string>? expressions)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (expressions is null || expressions.Count == 0)
        {
            return None;
        }

        var byUid = new Dictionary<ulong, SyncFilter>();
        foreach (var (entityName, expression) in expressions.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var entity = model.Entities.FirstOrDefault(e => e.Name == entityName)
                ?? throw new FilterException(entityName, expression, 1,
                    $"the model has no entity {entityName} (entities: {string.Join(", ", model.Entities.Select(e => e.Name))})");
            if (!entity.IsSyncEnabled)
            {
                throw new FilterException(entityName, expression, 1, $"entity {entityName} is not sync-enabled, so there is nothing to filter");
            }

            byUid[entity.Id.Uid] = SyncFilter.Parse(entity, expression);
        }

        return new SyncFilterSet(model, new Dictionary<string, string>(expressions, StringComparer.Ordinal), byUid);
    }

    /// <summary>The filter of the entity with UID <paramref name="entityUid"/>; null when it is not filtered.</summary>
    public SyncFilter? For(ulong entityUid) => _byEntityUid.GetValueOrDefault(entityUid);

    /// <summary>The entity's indexed properties with the kind filters compare them as.</summary>
    internal IReadOnlyList<(FilterIndexKey Key, FilterValueKind Kind)> IndexedPropertiesOf(ulong entityUid) =>
        _indexedByEntity.TryGetValue(entityUid, out var keys) ? keys : [];

    /// <summary>The index key of a property, or null when it is not indexed.</summary>
    internal int? IndexKeyOf(ulong entityUid, ulong propertyUid) =>
        IndexedPropertiesOf(entityUid).FirstOrDefault(k => k.Key.PropertyUid == propertyUid).Key?.Number;

    /// <summary>Whether the entity with UID <paramref name="entityUid"/> has a filter.</summary>
    public bool IsFiltered(ulong entityUid) => _byEntityUid.ContainsKey(entityUid);

    /// <summary>Binds every filter to one login's values.</summary>
    /// <exception cref="FilterVariableMissingException">A filter needs a variable the login does not have (and that has
    /// no default).</exception>
    public ClientFilters Resolve(FilterVariableValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (IsEmpty)
        {
            return ClientFilters.None;
        }

        var resolved = new Dictionary<ulong, ClientFilter>(_byEntityUid.Count);
        foreach (var (uid, filter) in _byEntityUid)
        {
            resolved[uid] = filter.Resolve(values);
        }

        return new ClientFilters(this, resolved, FilterState.Of(this, values));
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var filter in Filters)
        {
            text.Append(text.Length == 0 ? "" : "; ").Append(filter);
        }

        return text.Length == 0 ? "(no sync filters)" : text.ToString();
    }
}

/// <summary>A property the filter index keeps values of: its key in the index (1, 2, … in <see cref="SyncFilterSet.IndexSignature"/>
/// order), the entity's and the property's UIDs.</summary>
public sealed record FilterIndexKey(int Number, ulong EntityUid, ulong PropertyUid, ModelProperty Property);
