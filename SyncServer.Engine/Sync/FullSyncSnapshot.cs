using Microsoft.Data.Sqlite;
using SyncServer.Core.Model;
using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Sync;

// One per full sync, owned by one session; not thread-safe. Enumerate Batches once.
/// <summary>
/// All sync data at one txlog position, read in one SQLite read transaction: PUT ops for all objects, then LINK ops for
/// all links, in batches bounded by operation count and bytes (FULL_SYNC_DATA carries PUT and LINK only: a client forgets
/// the synced objects a full sync did not contain, docs/protocol.md). After applying it, a client continues from <see cref="Position"/> with the
/// <see cref="TxFeed"/>.
/// </summary>
internal sealed class FullSyncSnapshot : IDisposable
{
    private const int OpOverhead = OpCodec.MinOpSize + 8;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly ObjectBoxModel _model;
    private readonly int _maxOps;
    private readonly int _maxBytes;
    private bool _enumerated;

    internal FullSyncSnapshot(SqliteConnection connection, ObjectBoxModel model, int maxOps, int maxBytes)
    {
        _connection = connection;
        _model = model;
        _maxOps = maxOps;
        _maxBytes = maxBytes;
        // Deferred: the snapshot starts with the first read, which is the position.
        _transaction = connection.BeginTransaction(deferred: true);
        Position = SyncStore.ReadHead(connection);
    }

    /// <summary>The txlog position the snapshot shows: the last transaction committed before it was opened.</summary>
    public ulong Position { get; }

    /// <summary>The operations in batches; can be enumerated once.</summary>
    public IEnumerable<IReadOnlyList<SyncOp>> Batches
    {
        get
        {
            if (_enumerated)
            {
                throw new InvalidOperationException("A snapshot's batches can be enumerated once");
            }

            _enumerated = true;
            return Batch(Ops());
        }
    }

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }

    private IEnumerable<IReadOnlyList<SyncOp>> Batch(IEnumerable<SyncOp> ops)
    {
        var batch = new List<SyncOp>();
        long bytes = 0;
        foreach (var op in ops)
        {
            var size = OpOverhead + (op is PutOp put ? put.Data.Length : 0);
            if (batch.Count > 0 && (batch.Count >= _maxOps || bytes + size > _maxBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(op);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private IEnumerable<SyncOp> Ops()
    {
        foreach (var row in Rows("SELECT entity_uid, id, data FROM objects ORDER BY entity_uid, id"))
        {
            if (SyncedEntity(row.GetInt64(0)) is { } entity)
            {
                yield return new PutOp(entity.Id.Id, SyncIds.FromDb(row.GetInt64(1)), row.GetFieldValue<byte[]>(2));
            }
        }

        var relations = SyncModelIndex.For(_model);
        foreach (var row in Rows("SELECT relation_uid, source_id, target_id FROM links ORDER BY relation_uid, source_id, target_id"))
        {
            if (relations.FindRelationByUid(SyncIds.FromDb(row.GetInt64(0))) is { Target: not null } relation
                && relation.Owner.IsSyncEnabled && relation.Target.IsSyncEnabled)
            {
                yield return new LinkOp(relation.Relation.Id.Id, SyncIds.FromDb(row.GetInt64(1)), SyncIds.FromDb(row.GetInt64(2)), Linked: true);
            }
        }
    }

    private ModelEntity? SyncedEntity(long entityUid) =>
        _model.FindEntityByUid(SyncIds.FromDb(entityUid)) is { IsSyncEnabled: true } entity ? entity : null;

    private IEnumerable<SqliteDataReader> Rows(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return reader;
        }
    }
}
