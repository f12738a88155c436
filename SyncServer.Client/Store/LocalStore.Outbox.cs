namespace SyncServer.Client.Store;

/// <summary>The outbox: TXs written locally and not yet ACKed by the server, in client TX ID order.</summary>
internal sealed partial class LocalStore
{
    /// <summary>Gives the next client TX ID and queues <paramref name="ops"/> (OpCodec bytes, local IDs) under it.</summary>
    public ulong Enqueue(byte[] ops)
    {
        var txId = GetMeta(MetaKeys.LastTxId) + 1;
        SetMeta(MetaKeys.LastTxId, txId);
        NonQuery("INSERT INTO outbox (tx_id, ops) VALUES ($p0, $p1)", txId, ops);
        return txId;
    }

    public List<(ulong TxId, byte[] Ops)> ReadOutbox(ulong afterTxId, int limit)
    {
        var result = new List<(ulong, byte[])>();
        using var reader = Command("SELECT tx_id, ops FROM outbox WHERE tx_id > $p0 ORDER BY tx_id LIMIT $p1", afterTxId, limit).ExecuteReader();
        while (reader.Read())
        {
            result.Add((unchecked((ulong)reader.GetInt64(0)), (byte[])reader.GetValue(1)));
        }

        return result;
    }

    public byte[]? GetOutboxTx(ulong txId) => Scalar("SELECT ops FROM outbox WHERE tx_id = $p0", txId) as byte[];

    public bool DeleteOutboxTx(ulong txId) => NonQuery("DELETE FROM outbox WHERE tx_id = $p0", txId) > 0;

    public int CountOutbox() => (int)(long)Scalar("SELECT COUNT(*) FROM outbox")!;
}
