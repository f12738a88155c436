namespace SyncServer.Client.Store;

/// <summary>Objects (FlatBuffers bytes in local-ID terms) and standalone relation links.</summary>
internal sealed partial class LocalStore
{
    public byte[]? GetObject(uint entity, ulong id) =>
        Scalar("SELECT data FROM objects WHERE entity = $p0 AND id = $p1", entity, id) as byte[];

    public bool ObjectExists(uint entity, ulong id) =>
        Scalar("SELECT 1 FROM objects WHERE entity = $p0 AND id = $p1", entity, id) is not null;

    public void PutObject(uint entity, ulong id, byte[] data) =>
        NonQuery("INSERT INTO objects (entity, id, data) VALUES ($p0, $p1, $p2) ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data",
            entity, id, data);

    public bool DeleteObject(uint entity, ulong id) =>
        NonQuery("DELETE FROM objects WHERE entity = $p0 AND id = $p1", entity, id) > 0;

    public List<(ulong Id, byte[] Data)> GetObjects(uint entity)
    {
        var result = new List<(ulong, byte[])>();
        using var reader = Command("SELECT id, data FROM objects WHERE entity = $p0 ORDER BY id", entity).ExecuteReader();
        while (reader.Read())
        {
            result.Add((unchecked((ulong)reader.GetInt64(0)), (byte[])reader.GetValue(1)));
        }

        return result;
    }

    public List<ulong> GetObjectIds(uint entity)
    {
        var result = new List<ulong>();
        using var reader = Command("SELECT id FROM objects WHERE entity = $p0 ORDER BY id", entity).ExecuteReader();
        while (reader.Read())
        {
            result.Add(unchecked((ulong)reader.GetInt64(0)));
        }

        return result;
    }

    public long CountObjects(uint entity) => (long)Scalar("SELECT COUNT(*) FROM objects WHERE entity = $p0", entity)!;

    public bool AddLink(uint relation, ulong source, ulong target) =>
        NonQuery("INSERT OR IGNORE INTO links (relation, source, target) VALUES ($p0, $p1, $p2)", relation, source, target) > 0;

    public bool RemoveLink(uint relation, ulong source, ulong target) =>
        NonQuery("DELETE FROM links WHERE relation = $p0 AND source = $p1 AND target = $p2", relation, source, target) > 0;

    public List<ulong> GetLinkTargets(uint relation, ulong source) =>
        ReadIds("SELECT target FROM links WHERE relation = $p0 AND source = $p1 ORDER BY target", relation, source);

    public List<ulong> GetLinkSources(uint relation, ulong target) =>
        ReadIds("SELECT source FROM links WHERE relation = $p0 AND target = $p1 ORDER BY source", relation, target);

    public List<(ulong Source, ulong Target)> GetLinks(uint relation)
    {
        var result = new List<(ulong, ulong)>();
        using var reader = Command("SELECT source, target FROM links WHERE relation = $p0", relation).ExecuteReader();
        while (reader.Read())
        {
            result.Add((unchecked((ulong)reader.GetInt64(0)), unchecked((ulong)reader.GetInt64(1))));
        }

        return result;
    }

    /// <summary>Removes the links of relation <paramref name="relation"/> from <paramref name="source"/>.</summary>
    public int RemoveLinksFrom(uint relation, ulong source) =>
        NonQuery("DELETE FROM links WHERE relation = $p0 AND source = $p1", relation, source);

    /// <summary>Removes the links of relation <paramref name="relation"/> to <paramref name="target"/>.</summary>
    public int RemoveLinksTo(uint relation, ulong target) =>
        NonQuery("DELETE FROM links WHERE relation = $p0 AND target = $p1", relation, target);

    private List<ulong> ReadIds(string sql, params ReadOnlySpan<object?> values)
    {
        var result = new List<ulong>();
        using var reader = Command(sql, values).ExecuteReader();
        while (reader.Read())
        {
            result.Add(unchecked((ulong)reader.GetInt64(0)));
        }

        return result;
    }
}
