using System.Globalization;
using SyncServer.Engine.Schema;

namespace SyncServer.Engine.Storage;

// The schema_version table and meta current_schema_version (docs/storage.md).
internal sealed partial class SyncDatabase
{
    private const string CurrentSchemaVersionKey = "current_schema_version";

    public IReadOnlyList<SchemaVersion> ListSchemaVersions() => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, created_utc, source, model_hash, accept_clients FROM schema_version ORDER BY id";
        using var reader = command.ExecuteReader();
        var versions = new List<SchemaVersion>();
        while (reader.Read())
        {
            versions.Add(new SchemaVersion(
                reader.GetInt32(0),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt32(4) != 0));
        }

        return versions;
    });

    public string? ReadModelJson(int versionId) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT model_json FROM schema_version WHERE id = $id";
        command.Parameters.AddWithValue("$id", versionId);
        return command.ExecuteScalar() as string;
    });

    public int AddSchemaVersion(DateTimeOffset created, string source, string modelJson, string modelHash) => Write((connection, _) =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO schema_version (created_utc, source, model_json, model_hash, accept_clients)
            VALUES ($created, $source, $json, $hash, 0) RETURNING id
            """;
        command.Parameters.AddWithValue("$created", created.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$source", source);
        command.Parameters.AddWithValue("$json", modelJson);
        command.Parameters.AddWithValue("$hash", modelHash);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    });

    public bool SetAcceptClients(int versionId, bool acceptClients) => Write((connection, _) =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE schema_version SET accept_clients = $accept WHERE id = $id";
        command.Parameters.AddWithValue("$accept", acceptClients ? 1 : 0);
        command.Parameters.AddWithValue("$id", versionId);
        return command.ExecuteNonQuery() > 0;
    });

    public int? ReadCurrentSchemaVersionId() => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", CurrentSchemaVersionKey);
        return command.ExecuteScalar() is string text ? int.Parse(text, CultureInfo.InvariantCulture) : (int?)null;
    });

    public void WriteCurrentSchemaVersionId(int versionId) => Write((connection, _) =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$key", CurrentSchemaVersionKey);
        command.Parameters.AddWithValue("$value", versionId.ToString(CultureInfo.InvariantCulture));
        return command.ExecuteNonQuery();
    });
}
