namespace SyncServer.Client.Store;

/// <summary>Meta values: the persistent client ID and the sync bookkeeping.</summary>
internal sealed partial class LocalStore
{
    public const int ClientIdLength = 16;

    /// <summary>The client's persistent ID: 16 random bytes, made on first use and never changed.</summary>
    public byte[] GetOrCreateClientId()
    {
        if (Scalar("SELECT value FROM meta WHERE key = $p0", "client_id") is byte[] existing)
        {
            return existing;
        }

        var id = System.Security.Cryptography.RandomNumberGenerator.GetBytes(ClientIdLength);
        NonQuery("INSERT INTO meta (key, value) VALUES ($p0, $p1)", "client_id", id);
        return id;
    }

    public ulong GetMeta(string key) =>
        Scalar("SELECT value FROM meta WHERE key = $p0", key) is long value ? unchecked((ulong)value) : 0;

    public void SetMeta(string key, ulong value) =>
        NonQuery("INSERT INTO meta (key, value) VALUES ($p0, $p1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
}
