using System.Globalization;
using Microsoft.Data.Sqlite;
using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Storage;

// The clients table (docs/storage.md).
internal sealed partial class SyncDatabase
{
    public ClientLogin RecordClientLogin(byte[] clientId, DateTimeOffset now, uint maxClientNumber)
    {
        try
        {
            return WriteClientLogin(clientId, now, maxClientNumber);
        }
        catch (StorageException) when (FindClient(clientId) is { } known)
        {
            // Disk full, size limit or a damaged file: a known client still logs in and reads (its last login time
            // stays as it was); only a new client needs a write to get its number.
            return new ClientLogin(known, Created: false);
        }
    }

    private ClientRecord? FindClient(byte[] clientId) => Read(connection =>
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT number, last_tx_id, applied_position, filter_state FROM clients WHERE client_id = $id";
        select.Parameters.AddWithValue("$id", clientId);
        using var reader = select.ExecuteReader();
        return reader.Read() ? ReadClient(clientId, reader) : null;
    });

    private ClientLogin WriteClientLogin(byte[] clientId, DateTimeOffset now, uint maxClientNumber)
    {
        var loginUtc = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return Write((connection, _) =>
        {
            using var update = connection.CreateCommand();
            update.CommandText = """
                UPDATE clients SET last_login_utc = $now WHERE client_id = $id
                RETURNING number, last_tx_id, applied_position, filter_state
                """;
            update.Parameters.AddWithValue("$now", loginUtc);
            update.Parameters.AddWithValue("$id", clientId);
            using (var reader = update.ExecuteReader())
            {
                if (reader.Read())
                {
                    return new ClientLogin(ReadClient(clientId, reader), Created: false);
                }
            }

            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO clients (client_id, number, first_login_utc, last_login_utc)
                VALUES ($id, (SELECT coalesce(max(number), 0) + 1 FROM clients), $now, $now)
                RETURNING number, last_tx_id, applied_position, filter_state
                """;
            insert.Parameters.AddWithValue("$now", loginUtc);
            insert.Parameters.AddWithValue("$id", clientId);
            using var inserted = insert.ExecuteReader();
            inserted.Read();
            var created = ReadClient(clientId, inserted);
            if (created.Number > maxClientNumber)
            {
                // Thrown inside the transaction: the insert is rolled back.
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"All {maxClientNumber} client numbers are given out; no new client can log in"));
            }

            return new ClientLogin(created, Created: true);
        });
    }

    public void SaveAppliedPositions(IReadOnlyCollection<KeyValuePair<uint, ulong>> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        Write((connection, _) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE clients SET applied_position = max(applied_position, $position) WHERE number = $number";
            var number = command.Parameters.Add("$number", SqliteType.Integer);
            var position = command.Parameters.Add("$position", SqliteType.Integer);
            foreach (var (key, value) in positions)
            {
                number.Value = (long)key;
                position.Value = SyncIds.ToDb(value);
                command.ExecuteNonQuery();
            }

            return positions.Count;
        });
    }

    private static ClientRecord ReadClient(byte[] id, SqliteDataReader reader) => new(
        id, (uint)reader.GetInt64(0), SyncIds.FromDb(reader.GetInt64(1)), SyncIds.FromDb(reader.GetInt64(2)), reader.IsDBNull(3) ? null : reader.GetString(3));
}
