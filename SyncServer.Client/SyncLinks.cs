namespace SyncServer.Client;

/// <summary>A standalone (many-to-many) relation: links from source objects to target objects, by local ID.
/// Each Add/Remove is one local transaction and one TX (group them with <see cref="SyncClient.RunInTransaction(Action)"/>).
/// Thread-safe.</summary>
public sealed class SyncLinks
{
    private readonly SyncClient _client;
    private readonly RelationInfo _relation;

    internal SyncLinks(SyncClient client, RelationInfo relation)
    {
        _client = client;
        _relation = relation;
    }

    public string SourceEntity => _relation.Source.Name;

    public string TargetEntity => _relation.Target.Name;

    public string RelationName => _relation.Relation.Name;

    /// <summary>Links <paramref name="sourceId"/> to <paramref name="targetId"/>; false if they were linked already.</summary>
    public bool Add(ulong sourceId, ulong targetId) => _client.SetLink(_relation, sourceId, targetId, linked: true);

    /// <summary>Unlinks them; false if they were not linked.</summary>
    public bool Remove(ulong sourceId, ulong targetId) => _client.SetLink(_relation, sourceId, targetId, linked: false);

    /// <summary>The targets linked from <paramref name="sourceId"/>, in ID order.</summary>
    public IReadOnlyList<ulong> Get(ulong sourceId) => _client.GetLinks(_relation, sourceId, backlinks: false);

    /// <summary>The sources linking to <paramref name="targetId"/>, in ID order.</summary>
    public IReadOnlyList<ulong> GetBacklinks(ulong targetId) => _client.GetLinks(_relation, targetId, backlinks: true);
}
