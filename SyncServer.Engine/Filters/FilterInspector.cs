using System.Text.Json;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Filters;

// Singleton, thread-safe: every call reads a fresh snapshot or the stored client state.
/// <summary>
/// The sync filters as the admin UI shows them: each entity's filter, what a client's filters were made from and how
/// many objects it can see, and the explanation of one decision ("why did this object not reach that device?").
/// </summary>
public sealed class FilterInspector
{
    private readonly SyncDatabase _database;
    private readonly SyncFilters _filters;
    private readonly SchemaVersions _schema;

    internal FilterInspector(SyncDatabase database, SyncFilters filters, SchemaVersions schema)
    {
        _database = database;
        _filters = filters;
        _schema = schema;
    }

    /// <summary>The filters of connected clients by client number (set by the session host): a connected client is
    /// explained with the filters of its session, a disconnected one with the state its store matches.</summary>
    internal Func<uint, ClientFilters?>? Connected { get; set; }

    /// <summary>The configured filters over the current schema version, by entity name.</summary>
    public IReadOnlyList<EntityFilterInfo> List() =>
        [.. _filters.Current.Filters.Select(f => new EntityFilterInfo(
            f.EntityName,
            f.Expression,
            f.Variables,
            [.. _filters.Current.IndexedProperties.Where(k => k.EntityUid == f.EntityUid).Select(k => k.Property.Name)]))];

    /// <summary>Client <paramref name="clientNumber"/>'s filters: its variables and how many objects it can see; null
    /// when no client has that number.</summary>
    public ClientFilterInfo? Client(uint clientNumber)
    {
        if (Resolve(clientNumber) is not var (filters, state, connected, problem))
        {
            return null;
        }

        return new ClientFilterInfo(clientNumber, connected, Describe(state), filters is null ? 0 : CountVisible(filters), problem);
    }

    /// <summary>Whether client <paramref name="clientNumber"/> can see object <paramref name="objectId"/> of
    /// <paramref name="entityName"/>, and why: each comparison with its values and result.</summary>
    /// <exception cref="ArgumentException">No client has that number, or the current schema has no such entity; the
    /// message says which.</exception>
    public FilterExplanation Explain(uint clientNumber, string entityName, ulong objectId)
    {
        var (explanation, note) = Decide(clientNumber, entityName, objectId);
        return note is null || !explanation.ObjectExists ? explanation : explanation with { Summary = $"{explanation.Summary}; {note}" };
    }

    private (FilterExplanation Explanation, string? Note) Decide(uint clientNumber, string entityName, ulong objectId)
    {
        var model = _schema.Current?.Model ?? throw new ArgumentException("The server has no schema yet");
        var entity = model.Entities.FirstOrDefault(e => e.Name == entityName)
            ?? throw new ArgumentException($"The current schema has no entity '{entityName}'");
        if (Resolve(clientNumber) is not var (resolved, state, connected, problem))
        {
            throw new ArgumentException($"No client has number {clientNumber}");
        }

        var variables = Describe(state);
        if (resolved is not { } filters)
        {
            return (new FilterExplanation(clientNumber, connected, entity.Name, objectId, _database.GetObject(entity.Id.Uid, objectId) is not null, false,
                $"Client {clientNumber} sees nothing of the filtered entities until it logs in again: {problem}", [], variables,
                _filters.Current.For(entity.Id.Uid)?.Expression), null);
        }

        var stored = _database.GetObject(entity.Id.Uid, objectId);
        if (!entity.IsSyncEnabled)
        {
            return (new FilterExplanation(clientNumber, connected, entity.Name, objectId, stored is not null, false,
                $"{entity.Name} is not sync-enabled: no client receives its objects", [], variables, null), problem);
        }

        if (filters.For(entity.Id.Uid) is not { } filter)
        {
            return (new FilterExplanation(clientNumber, connected, entity.Name, objectId, stored is not null, stored is not null,
                stored is null
                    ? $"{entity.Name} {objectId} does not exist (it was never stored, or it was removed)"
                    : $"{entity.Name} has no sync filter: every client can see {entity.Name} {objectId}",
                [], variables, null), problem);
        }

        if (stored is null)
        {
            return (new FilterExplanation(clientNumber, connected, entity.Name, objectId, false, false,
                $"{entity.Name} {objectId} does not exist (it was never stored, or it was removed)", [], variables, filter.Filter.Expression), problem);
        }

        var (matches, lines) = filter.Explain(stored.Data);
        return (new FilterExplanation(clientNumber, connected, entity.Name, objectId, true, matches,
            matches
                ? $"Client {clientNumber} can see {entity.Name} {objectId}: it matches the filter"
                : $"Client {clientNumber} cannot see {entity.Name} {objectId}: it does not match the filter",
            lines, variables, filter.Filter.Expression), problem);
    }

    /// <summary>How many synced objects these filters let a client see, over all entities (filtered ones counted with
    /// the filter index where the filter allows, docs/filters.md).</summary>
    internal long CountVisible(ClientFilters filters)
    {
        if (_schema.Current?.Model is not { } model)
        {
            return 0;
        }

        using var snapshot = _database.OpenSnapshot();
        long count = 0;
        foreach (var entity in model.Entities.Where(e => e.IsSyncEnabled))
        {
            if (filters.For(entity.Id.Uid) is not { } filter)
            {
                count += snapshot.CountObjects(entity.Id.Uid);
                continue;
            }

            foreach (var candidate in FilteredObjects.Candidates(snapshot, entity, filter, filters.Set))
            {
                count += filter.Matches(candidate.Data) ? 1 : 0;
            }
        }

        return count;
    }

    // The client's filters (null when they cannot be resolved: the problem says why), the state they come from, and
    // whether they are its open session's. Null when no client has the number.
    private (ClientFilters? Filters, FilterState State, bool Connected, string? Problem)? Resolve(uint clientNumber)
    {
        if (Connected?.Invoke(clientNumber) is { } live)
        {
            return (live, live.State, true, null);
        }

        if (clientNumber == 0 || !_database.ClientExists(clientNumber))
        {
            return null;
        }

        var set = _filters.Current;
        var stored = _database.ReadFilterState(clientNumber);
        var state = stored is { } json ? FilterState.Parse(json) : FilterState.Empty;
        var note = stored is null && !set.IsEmpty
            ? "no filter state is stored for this client yet (it has not confirmed a sync under the filters): shown without its variables"
            : null;
        try
        {
            return (set.Resolve(state.ToVariableValues()), state, false, note);
        }
        catch (FilterVariableMissingException e)
        {
            // It last logged in before a filter needed that variable: its next login is refused until it sends it.
            return (null, state, false, e.Message);
        }
    }

    private static Dictionary<string, string> Describe(FilterState state) =>
        state.Values.ToDictionary(v => v.Key, v => v.Value.ValueKind == JsonValueKind.String ? $"\"{v.Value.GetString()}\"" : v.Value.GetRawText(), StringComparer.Ordinal);
}

/// <summary>One entity's sync filter.</summary>
/// <param name="IndexedProperties">The properties the filter index keeps for it (compared with == or IN).</param>
public sealed record EntityFilterInfo(string Entity, string Expression, IReadOnlyList<string> Variables, IReadOnlyList<string> IndexedProperties);

/// <summary>One client's filters.</summary>
/// <param name="Connected">True: the filters of its open session; false: the state its store matches, as stored.</param>
/// <param name="Variables">Each variable the filters read, with its value as JSON (absent: the default or none).</param>
/// <param name="VisibleObjects">How many synced objects it can see now.</param>
/// <param name="Problem">Why its filters cannot be resolved from its stored state (a variable a filter now needs); null
/// when they can.</param>
public sealed record ClientFilterInfo(uint ClientNumber, bool Connected, IReadOnlyDictionary<string, string> Variables, long VisibleObjects, string? Problem);

/// <summary>Whether a client can see an object, and why.</summary>
/// <param name="Lines">The filter's evaluation, one line per node, indented by depth (empty without a filter).</param>
/// <param name="Expression">The entity's filter; null when it has none.</param>
public sealed record FilterExplanation(
    uint ClientNumber,
    bool Connected,
    string Entity,
    ulong ObjectId,
    bool ObjectExists,
    bool Visible,
    string Summary,
    IReadOnlyList<string> Lines,
    IReadOnlyDictionary<string, string> Variables,
    string? Expression);
