namespace SyncServer.Core.Model;

/// <summary>
/// The in-memory form of an objectbox-model.json: the one model type the engine, protocol, storage and admin UI use.
/// Immutable and thread-safe. Create it with <see cref="ModelJsonReader.Read(string)"/>, which also validates it.
/// </summary>
public sealed class ObjectBoxModel
{
    private readonly Dictionary<uint, ModelEntity> _entitiesById;
    private readonly Dictionary<ulong, ModelEntity> _entitiesByUid;
    private readonly Dictionary<string, ModelEntity> _entitiesByName;
    private string? _hash;

    public ObjectBoxModel(IReadOnlyList<ModelEntity> entities, ModelMetadata metadata)
    {
        Entities = entities;
        Metadata = metadata;
        _entitiesById = new Dictionary<uint, ModelEntity>(entities.Count);
        _entitiesByUid = new Dictionary<ulong, ModelEntity>(entities.Count);
        _entitiesByName = new Dictionary<string, ModelEntity>(entities.Count, StringComparer.Ordinal);
        foreach (var entity in entities)
        {
            _entitiesById.TryAdd(entity.Id.Id, entity);
            _entitiesByUid.TryAdd(entity.Id.Uid, entity);
            _entitiesByName.TryAdd(entity.Name, entity);
        }
    }

    public IReadOnlyList<ModelEntity> Entities { get; }

    /// <summary>Everything in the file besides the entities: last IDs, retired UIDs, versions.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>
    /// Lowercase hex SHA-256 of the model's meaning (see <see cref="ModelHash"/>): equal for files that differ only in
    /// formatting, order or notes. Computed on first use.
    /// </summary>
    // A race computes the same string twice; assigning a reference is atomic, so no lock is needed.
    public string Hash => _hash ??= ModelHash.Compute(this);

    public ModelEntity? FindEntity(uint entityId) => _entitiesById.GetValueOrDefault(entityId);

    public ModelEntity? FindEntityByUid(ulong entityUid) => _entitiesByUid.GetValueOrDefault(entityUid);

    public ModelEntity? FindEntity(string name) => _entitiesByName.GetValueOrDefault(name);
}
