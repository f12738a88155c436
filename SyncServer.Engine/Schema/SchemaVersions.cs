using Microsoft.Extensions.Logging;
using SyncServer.Engine.Logging;
using SyncServer.Core.Model;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Schema;

// Singleton, thread-safe: readers take the immutable Current snapshot without locking; changes are serialised by _gate and
// written through the storage's single writer, then published by swapping the snapshot.
/// <summary>
/// The schema versions kept in the storage: list them, read one's model JSON, add a version from JSON (validated and
/// checked for compatibility), switch the current version, and set whether a version accepts clients. docs/schema.md
/// defines "compatible".
/// </summary>
public sealed class SchemaVersions
{
    private readonly ISyncStorage _storage;
    private readonly TimeProvider _time;
    private readonly ILogger _schemaLog;
    private readonly ILogger _serverLog;
    private readonly Lock _gate = new();
    private volatile CurrentSchema? _current;

    internal SchemaVersions(ISyncStorage storage, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _storage = storage;
        _time = time;
        _schemaLog = loggerFactory.CreateLogger(LogTags.Schema);
        _serverLog = loggerFactory.CreateLogger(LogTags.Server);
        _current = LoadCurrent();
    }

    /// <summary>Raised after the current version changed or a version was added or updated.</summary>
    public event EventHandler? Changed;

    /// <summary>The version the server runs with; null only while the database has no schema yet.</summary>
    public CurrentSchema? Current => _current;

    public IReadOnlyList<SchemaVersion> List() => _storage.ListSchemaVersions();

    /// <summary>
    /// Checks a model before it is added or made current: a breaking <see cref="SchemaChange"/> refuses it (the sync
    /// filters use this: a model that would leave a filter invalid is refused with the filter's message).
    /// </summary>
    public Func<ObjectBoxModel, SchemaChange?>? ModelGuard { get; set; }

    public SchemaVersion? Find(int id) => List().FirstOrDefault(v => v.Id == id);

    /// <summary>The model JSON exactly as it was given when the version was added.</summary>
    /// <exception cref="KeyNotFoundException">There is no version <paramref name="id"/>.</exception>
    public string GetModelJson(int id) => _storage.ReadModelJson(id)
        ?? throw new KeyNotFoundException($"There is no schema version ID {id}");

    /// <summary>Validates <paramref name="json"/> and compares it with the current version, changing nothing.</summary>
    /// <exception cref="ModelException">The JSON is not a valid model.</exception>
    public SchemaPreview Preview(string json)
    {
        var model = ModelJsonReader.Read(json);
        var current = _current;
        var changes = current is null ? [] : SchemaDiff.Compare(current.Model, model);
        if (ModelGuard?.Invoke(model) is { } refused)
        {
            changes = [.. changes, refused];
        }

        var existing = List().FirstOrDefault(v => v.Hash == model.Hash);
        return new SchemaPreview(model, changes, existing);
    }

    /// <summary>
    /// Adds <paramref name="json"/> as a new version (not yet current, not accepting clients) and returns it; a model equal
    /// to a stored version returns that version and adds nothing.
    /// </summary>
    /// <exception cref="ModelException">The JSON is not a valid model.</exception>
    /// <exception cref="SchemaIncompatibleException">The model is not a compatible change of the current version.</exception>
    public SchemaVersion Add(string json, string source)
    {
        lock (_gate)
        {
            var preview = Preview(json);
            if (preview.ExistingVersion is { } existing)
            {
                return existing;
            }

            if (!preview.IsCompatible)
            {
                throw Incompatible($"The model from {source}", _current!.Version, preview.Changes);
            }

            var created = _time.GetUtcNow();
            var id = _storage.AddSchemaVersion(created, source, json, preview.Model.Hash);
            SchemaLog.Inserted(_schemaLog, id);
            Changed?.Invoke(this, EventArgs.Empty);
            return new SchemaVersion(id, created, source, preview.Model.Hash, AcceptClients: false);
        }
    }

    /// <summary>
    /// Makes version <paramref name="id"/> current. Allowed when one of the two models is a compatible change of the other,
    /// so going back to an earlier version works as long as no property changed its meaning in between.
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is no version <paramref name="id"/>.</exception>
    /// <exception cref="SchemaIncompatibleException">The versions are not compatible.</exception>
    public CurrentSchema SwitchTo(int id)
    {
        lock (_gate)
        {
            var target = ModelJsonReader.Read(GetModelJson(id));
            var current = _current;
            if (current is not null && ModelGuard?.Invoke(target) is { } refused)
            {
                throw Incompatible($"Schema version ID {id}", current.Version, [refused]);
            }

            if (current is not null && current.Version.Id != id)
            {
                var forward = SchemaDiff.Compare(current.Model, target);
                if (forward.Any(c => c.IsBreaking) && SchemaDiff.Compare(target, current.Model).Any(c => c.IsBreaking))
                {
                    throw Incompatible($"Schema version ID {id}", current.Version, forward);
                }
            }

            SchemaLog.Switching(_serverLog, id);
            _storage.WriteCurrentSchemaVersionId(id);
            var switched = new CurrentSchema(Find(id)!, target);
            _current = switched;
            Changed?.Invoke(this, EventArgs.Empty);
            return switched;
        }
    }

    /// <summary>Sets whether clients on version <paramref name="id"/> may log in.</summary>
    /// <exception cref="KeyNotFoundException">There is no version <paramref name="id"/>.</exception>
    public SchemaVersion SetAcceptClients(int id, bool acceptClients)
    {
        lock (_gate)
        {
            if (!_storage.SetAcceptClients(id, acceptClients))
            {
                throw new KeyNotFoundException($"There is no schema version ID {id}");
            }

            SchemaLog.AcceptClientsUpdated(_schemaLog, id, acceptClients ? "true" : "false");
            var version = Find(id)!;
            if (_current is { } current && current.Version.Id == id)
            {
                _current = current with { Version = version };
            }

            Changed?.Invoke(this, EventArgs.Empty);
            return version;
        }
    }

    /// <summary>Adds the model (if it is new), makes it current and lets clients in: what a changed model at start or a
    /// confirmed upload does.</summary>
    public CurrentSchema AddAndSwitch(string json, string source)
    {
        lock (_gate)
        {
            var version = Add(json, source);
            var current = _current?.Version.Id == version.Id ? _current : SwitchTo(version.Id);
            if (!current.Version.AcceptClients)
            {
                SetAcceptClients(version.Id, true);
            }

            return _current!;
        }
    }

    private static SchemaIncompatibleException Incompatible(string what, SchemaVersion current, IReadOnlyList<SchemaChange> changes)
    {
        var conflicts = changes.Where(c => c.IsBreaking).ToList();
        return new SchemaIncompatibleException(
            $"{what} is incompatible with the current schema version ID {current.Id} ({conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}); "
            + $"schema version ID {current.Id} stays current",
            conflicts);
    }

    private CurrentSchema? LoadCurrent() =>
        _storage.ReadCurrentSchemaVersionId() is { } id && _storage.ReadModelJson(id) is { } json
            ? new CurrentSchema(Find(id)!, ModelJsonReader.Read(json))
            : null;
}
