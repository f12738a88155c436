namespace SyncServer.Engine.Filters;

// Immutable; thread-safe.
/// <summary>
/// One login's sync filters: for each filtered entity the <see cref="ClientFilter"/> bound to the login's variables, and
/// the <see cref="FilterState"/> they were made from (stored with the client, so a later login can tell whether its
/// visible set changed, and the admin UI can explain a disconnected client's view).
/// </summary>
public sealed class ClientFilters
{
    private readonly Dictionary<ulong, ClientFilter> _byEntityUid;

    internal ClientFilters(SyncFilterSet set, Dictionary<ulong, ClientFilter> byEntityUid, FilterState state)
    {
        Set = set;
        _byEntityUid = byEntityUid;
        State = state;
    }

    /// <summary>No filters: the client sees and may write every synced object.</summary>
    public static ClientFilters None { get; } = new(SyncFilterSet.None, [], FilterState.Empty);

    public SyncFilterSet Set { get; }

    public FilterState State { get; }

    public bool IsEmpty => _byEntityUid.Count == 0;

    /// <summary>The entity's filter for this client; null when the entity is not filtered.</summary>
    public ClientFilter? For(ulong entityUid) => _byEntityUid.GetValueOrDefault(entityUid);

    /// <summary>Whether the client may see the object (true for entities without a filter).</summary>
    public bool CanSee(ulong entityUid, ReadOnlySpan<byte> data) => For(entityUid) is not { } filter || filter.Matches(data);

    /// <summary>The filter of the entity with ID <paramref name="entityId"/> (as in ops); null when it is not filtered.</summary>
    internal ClientFilter? ForEntityId(uint entityId) => Set.EntityIds.TryGetValue(entityId, out var uid) ? For(uid) : null;

    /// <summary>The filter of the source entity of the standalone relation with ID <paramref name="relationId"/>; null
    /// when that entity is not filtered.</summary>
    internal ClientFilter? ForRelationSource(uint relationId) => Set.RelationSources.TryGetValue(relationId, out var uid) ? For(uid) : null;
}
