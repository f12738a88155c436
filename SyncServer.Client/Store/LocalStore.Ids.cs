namespace SyncServer.Client.Store;

/// <summary>The ID map (entity, local ID ↔ global ID) and the per-entity local ID sequences (docs/ids.md).</summary>
internal sealed partial class LocalStore
{
    /// <summary>The largest local ID: 40 bits.</summary>
    public const ulong MaxLocalId = (1UL << 40) - 1;

    public ulong? FindGlobal(uint entity, ulong local) =>
        Scalar("SELECT global FROM id_map WHERE entity = $p0 AND local = $p1", entity, local) is long value ? unchecked((ulong)value) : null;

    public ulong? FindLocal(uint entity, ulong global) =>
        Scalar("SELECT local FROM id_map WHERE entity = $p0 AND global = $p1", entity, global) is long value ? unchecked((ulong)value) : null;

    public void AddMapping(uint entity, ulong local, ulong global) =>
        NonQuery("INSERT INTO id_map (entity, local, global) VALUES ($p0, $p1, $p2)", entity, local, global);

    /// <summary>Adds the mapping unless <paramref name="local"/> or <paramref name="global"/> is mapped already; true if added.</summary>
    public bool TryAddMapping(uint entity, ulong local, ulong global) =>
        NonQuery("INSERT INTO id_map (entity, local, global) VALUES ($p0, $p1, $p2) ON CONFLICT DO NOTHING", entity, local, global) > 0;

    public int CountMappings() => (int)(long)Scalar("SELECT COUNT(*) FROM id_map")!;

    /// <summary>The next local ID of <paramref name="entity"/>; refuses to go past 40 bits.</summary>
    public ulong NextLocalId(uint entity)
    {
        var last = LastLocalId(entity);
        if (last >= MaxLocalId)
        {
            throw new InvalidOperationException($"Entity {entity} has used up its 2^40 - 1 local IDs.");
        }

        SetLastLocalId(entity, last + 1);
        return last + 1;
    }

    /// <summary>Makes sure the sequence never gives out <paramref name="id"/> (an ID the app chose itself).</summary>
    public void ReserveLocalId(uint entity, ulong id)
    {
        if (id > LastLocalId(entity))
        {
            SetLastLocalId(entity, id);
        }
    }

    public ulong LastLocalId(uint entity)
    {
        if (_transaction is not null && _sequences.TryGetValue(entity, out var cached))
        {
            return cached;
        }

        var last = Scalar("SELECT last FROM sequences WHERE entity = $p0", entity) is long value ? unchecked((ulong)value) : 0;
        if (_transaction is not null)
        {
            _sequences[entity] = last;
        }

        return last;
    }

    // Inside a transaction the sequences live in _sequences and are written once, at commit (FlushSequences), instead of
    // a read and an upsert for every new local ID: a full sync hands one out for every object it brings.
    private void SetLastLocalId(uint entity, ulong last)
    {
        if (_transaction is null)
        {
            WriteLastLocalId(entity, last);
            return;
        }

        _sequences[entity] = last;
        _changedSequences.Add(entity);
    }

    private void WriteLastLocalId(uint entity, ulong last) =>
        NonQuery("INSERT INTO sequences (entity, last) VALUES ($p0, $p1) ON CONFLICT (entity) DO UPDATE SET last = excluded.last", entity, last);

    /// <summary>Writes the sequences changed in the transaction; called by <see cref="Commit"/> before COMMIT.</summary>
    private void FlushSequences()
    {
        foreach (var entity in _changedSequences)
        {
            WriteLastLocalId(entity, _sequences[entity]);
        }

        ForgetSequences();
    }

    private void ForgetSequences()
    {
        _sequences.Clear();
        _changedSequences.Clear();
    }
}
