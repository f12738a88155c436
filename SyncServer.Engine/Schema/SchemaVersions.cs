using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SyncServer.Engine.Logging;
using SyncServer.Core.Model;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Schema;

// Singleton, thread-safe: readers take the immutable Current snapshot without locking; changes are serialised by _gate and
// written through the database's single writer, then published by swapping the snapshot.
/// <summary>
/// The schema versions stored in the database: list them, read one's model JSON, add a version from JSON (validated and
/// checked for compatibility), switch the current version, and set whether a version accepts clients. docs/schema.md
/// defines "compatible".
/// </summary>
public sealed class SchemaVersions
{
    private const string CurrentVersionKey = "current_schema_version";

    private readonly SyncDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger _schemaLog;
    private readonly ILogger _serverLog;
    private readonly Lock _gate = new();
    private volatile CurrentSchema? _current;

    internal SchemaVersions(SyncDatabase database, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _database = database;
        _time = time;
        _schemaLog = loggerFactory.CreateLogger(LogTags.Schema);
        _serverLog = loggerFactory.CreateLogger(LogTags.Server);
        _current = LoadCurrent();
    }

    /// <summary>Raised after the current version changed or a version was added or updated.</summary>
    public event EventHandler? Changed;

    /// <summary>The version the server runs with; null only while the database has no schema yet.</summary>
    public CurrentSchema? Current => _current;

    public IReadOnlyList<SchemaVersion> List() => _database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, created_utc, source, model_hash, accept_clients FROM schema_version ORDER BY id";
        using var reader = command.ExecuteReader();
        var versions = new List<SchemaVersion>();
        while (reader.Read())
        {
            versions.Add(ReadVersion(reader));
        }

        return versions;
    });

    public SchemaVersion? Find(int id) => List().FirstOrDefault(v => v.Id == id);

    /// <summary>The model JSON exactly as it was given when the version was added.</summary>
    /// <exception cref="KeyNotFoundException">There is no version <paramref name="id"/>.</exception>
    public string GetModelJson(int id) => _database.Read(connection => QueryModelJson(connection, id))
        ?? throw new KeyNotFoundException($"There is no schema version ID {id}");

    /// <summary>Validates <paramref name="json"/> and compares it with the current version, changing nothing.</summary>
    /// <exception cref="ModelException">The JSON is not a valid model.</exception>
    public SchemaPreview Preview(string json)
    {
        var model = ModelJsonReader.Read(json);
        var current = _current;
        var changes = current is null ? [] : SchemaDiff.Compare(current.Model, model);
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
            var id = _database.Write((connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO schema_version (created_utc, source, model_json, model_hash, accept_clients)
                    VALUES ($created, $source, $json, $hash, 0) RETURNING id
                    """;
                command.Parameters.AddWithValue("$created", created.ToString("O", CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("$source", source);
                command.Parameters.AddWithValue("$json", json);
                command.Parameters.AddWithValue("$hash", preview.Model.Hash);
                return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            });
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
            if (current is not null && current.Version.Id != id)
            {
                var forward = SchemaDiff.Compare(current.Model, target);
                if (forward.Any(c => c.IsBreaking) && SchemaDiff.Compare(target, current.Model).Any(c => c.IsBreaking))
                {
                    throw Incompatible($"Schema version ID {id}", current.Version, forward);
                }
            }

            SchemaLog.Switching(_serverLog, id);
            _database.Write((connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
                command.Parameters.AddWithValue("$key", CurrentVersionKey);
                command.Parameters.AddWithValue("$value", id.ToString(CultureInfo.InvariantCulture));
                return command.ExecuteNonQuery();
            });
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
            var updated = _database.Write((connection, transaction) =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "UPDATE schema_version SET accept_clients = $accept WHERE id = $id";
                command.Parameters.AddWithValue("$accept", acceptClients ? 1 : 0);
                command.Parameters.AddWithValue("$id", id);
                return command.ExecuteNonQuery();
            });
            if (updated == 0)
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

    private CurrentSchema? LoadCurrent()
    {
        var (id, json) = _database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM meta WHERE key = $key";
            command.Parameters.AddWithValue("$key", CurrentVersionKey);
            if (command.ExecuteScalar() is not string text)
            {
                return (0, null);
            }

            var currentId = int.Parse(text, CultureInfo.InvariantCulture);
            return (currentId, QueryModelJson(connection, currentId));
        });
        if (json is null)
        {
            return null;
        }

        return new CurrentSchema(Find(id)!, ModelJsonReader.Read(json));
    }

    private static string? QueryModelJson(SqliteConnection connection, int id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT model_json FROM schema_version WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() as string;
    }

    private static SchemaVersion ReadVersion(SqliteDataReader reader) => new(
        reader.GetInt32(0),
        DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt32(4) != 0);
}
