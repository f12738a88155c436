namespace SyncServer.Client;

/// <summary>
/// The objects of one entity, with values by property name (the CLR type per property type is that of
/// <c>SyncServer.Core.Objects.ObjectCodec</c>: ID and ToOne properties are <c>ulong</c>, Date is <c>long</c> ms, …).
/// IDs are local IDs. Thread-safe; a cheap view of its <see cref="SyncClient"/>.
/// </summary>
public sealed class SyncBox
{
    private readonly SyncClient _client;

    internal SyncBox(SyncClient client, EntityInfo entity)
    {
        _client = client;
        Info = entity;
    }

    /// <summary>The entity's name in the model.</summary>
    public string EntityName => Info.Name;

    /// <summary>The name of the entity's ID property (e.g. "id").</summary>
    public string IdPropertyName => Info.IdProperty.Name;

    internal EntityInfo Info { get; }

    /// <summary>Creates (ID property missing or 0) or replaces (ID given) an object, locally and at once; queues the change
    /// for the server. Properties not given are absent (null). Returns the object's ID.</summary>
    /// <exception cref="ArgumentException">An unknown property name, or a value of the wrong type.</exception>
    public ulong Put(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var byId = new Dictionary<uint, object?>(values.Count + 2);
        foreach (var (name, value) in values)
        {
            var property = Info.Entity.FindProperty(name)
                ?? Info.Entity.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Entity \"{Info.Name}\" has no property \"{name}\".", nameof(values));
            byId[property.Id.Id] = value;
        }

        return _client.PutObject(Info, byId);
    }

    /// <summary>The object with local ID <paramref name="id"/>, or null. Holds the properties stored in it.</summary>
    public IReadOnlyDictionary<string, object?>? Get(ulong id) =>
        _client.GetObject(Info, id) is { } values ? ToNames(values) : null;

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> GetAll() => [.. _client.GetObjects(Info).Select(ToNames)];

    /// <summary>The objects for which <paramref name="predicate"/> is true, in ID order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(Func<IReadOnlyDictionary<string, object?>, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return [.. GetAll().Where(predicate)];
    }

    public long Count() => _client.CountObjects(Info);

    /// <summary>Removes the object and its standalone relation links; false if there was none.</summary>
    public bool Remove(ulong id) => _client.RemoveObject(Info, id);

    /// <summary>The raw values by property ID (the form <c>ObjectCodec</c> and <c>ObjectJson</c> use).</summary>
    public IReadOnlyDictionary<uint, object?>? GetValues(ulong id) => _client.GetObject(Info, id);

    /// <summary>Puts raw values by property ID; see <see cref="Put"/>.</summary>
    public ulong PutValues(IReadOnlyDictionary<uint, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return _client.PutObject(Info, new Dictionary<uint, object?>(values));
    }

    /// <summary>All objects as raw values by property ID, in ID order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<uint, object?>> GetAllValues() => _client.GetObjects(Info);

    private Dictionary<string, object?> ToNames(Dictionary<uint, object?> values)
    {
        var result = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        foreach (var property in Info.Entity.Properties)
        {
            if (values.TryGetValue(property.Id.Id, out var value))
            {
                result[property.Name] = value;
            }
        }

        return result;
    }
}
