using Microsoft.Data.Sqlite;
using SyncServer.Client.Store;

namespace SyncServer.Client.Tests;

public sealed class LocalStoreTests
{
    [Fact]
    public void The_client_id_is_16_random_bytes_made_once_and_kept_across_reopening()
    {
        using var dir = new TempDirectory();
        byte[] first;
        using (var store = new LocalStore(dir.Path))
        {
            first = store.GetOrCreateClientId();
            Assert.Equal(first, store.GetOrCreateClientId());
        }

        using var reopened = new LocalStore(dir.Path);
        Assert.Equal(16, first.Length);
        Assert.Equal(first, reopened.GetOrCreateClientId());
        using var other = new TempDirectory();
        using var otherStore = new LocalStore(other.Path);
        Assert.NotEqual(first, otherStore.GetOrCreateClientId());
    }

    [Fact]
    public void A_second_store_on_an_open_folder_is_refused_naming_it_and_the_folder_opens_again_once_the_first_is_closed()
    {
        using var dir = new TempDirectory();
        byte[] id;
        using (var first = new LocalStore(dir.Path))
        {
            id = first.GetOrCreateClientId();
            var refused = Assert.Throws<IOException>(() => new LocalStore(dir.Path));
            Assert.Contains($"'{dir.Path}' is in use by another SyncClient", refused.Message, StringComparison.Ordinal);
        }

        using var again = new LocalStore(dir.Path);
        Assert.Equal(id, again.GetOrCreateClientId());
    }

    [Fact]
    public void Objects_links_id_pairs_and_meta_survive_reopening()
    {
        using var dir = new TempDirectory();
        using (var store = new LocalStore(dir.Path))
        {
            store.Begin();
            store.PutObject(2, 7, [1, 2, 3]);
            store.AddLink(1, 7, 9);
            store.AddMapping(2, 7, (5UL << 40) | 7);
            store.SetMeta(MetaKeys.Position, ulong.MaxValue);
            store.Commit();
        }

        using var reopened = new LocalStore(dir.Path);
        Assert.Equal([1, 2, 3], reopened.GetObject(2, 7));
        Assert.Equal([9UL], reopened.GetLinkTargets(1, 7));
        Assert.Equal([7UL], reopened.GetLinkSources(1, 9));
        Assert.Equal((5UL << 40) | 7, reopened.FindGlobal(2, 7));
        Assert.Equal(7UL, reopened.FindLocal(2, (5UL << 40) | 7));
        Assert.Equal(ulong.MaxValue, reopened.GetMeta(MetaKeys.Position));
    }

    [Fact]
    public void A_rolled_back_transaction_leaves_nothing()
    {
        using var dir = new TempDirectory();
        using var store = new LocalStore(dir.Path);
        store.Begin();
        store.PutObject(2, 1, [1]);
        store.Enqueue([0, 0, 0, 0]);
        store.Rollback();

        Assert.Null(store.GetObject(2, 1));
        Assert.Equal(0, store.CountOutbox());
        Assert.Equal(0UL, store.GetMeta(MetaKeys.LastTxId));
    }

    [Fact]
    public void Local_ids_count_per_entity_and_skip_ids_the_app_chose()
    {
        using var dir = new TempDirectory();
        using var store = new LocalStore(dir.Path);
        Assert.Equal(1UL, store.NextLocalId(2));
        Assert.Equal(2UL, store.NextLocalId(2));
        Assert.Equal(1UL, store.NextLocalId(3));
        store.ReserveLocalId(2, 10);
        store.ReserveLocalId(2, 5);
        Assert.Equal(11UL, store.NextLocalId(2));
    }

    [Fact]
    public void Local_ids_stop_at_40_bits_instead_of_wrapping()
    {
        using var dir = new TempDirectory();
        using var store = new LocalStore(dir.Path);
        store.ReserveLocalId(2, LocalStore.MaxLocalId);
        Assert.Throws<InvalidOperationException>(() => store.NextLocalId(2));
    }

    [Fact]
    public void The_outbox_numbers_txs_from_1_and_reads_them_in_order()
    {
        using var dir = new TempDirectory();
        using var store = new LocalStore(dir.Path);
        Assert.Equal(1UL, store.Enqueue([1]));
        Assert.Equal(2UL, store.Enqueue([2]));
        Assert.Equal(3UL, store.Enqueue([3]));
        store.DeleteOutboxTx(2);

        Assert.Equal([1UL, 3UL], store.ReadOutbox(0, 10).Select(t => t.TxId));
        Assert.Equal([3UL], store.ReadOutbox(1, 10).Select(t => t.TxId));
        Assert.Equal(4UL, store.Enqueue([4]));
    }

    [Fact]
    public void The_database_is_in_wal_mode()
    {
        using var dir = new TempDirectory();
        using (new LocalStore(dir.Path))
        {
        }

        using var connection = new SqliteConnection($"Data Source={dir.Combine(LocalStore.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
    }
}
