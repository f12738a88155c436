using System.Text;

namespace SyncServer.Engine.Tests.Sync;

public sealed class ClientRegistryTests : IDisposable
{
    private readonly SyncTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Gives_numbers_1_2_3_in_order_of_first_login_and_keeps_them_across_reopen()
    {
        Assert.Equal(1u, _host.Login("phone"));
        Assert.Equal(2u, _host.Login("tablet"));
        Assert.Equal(1u, _host.Login("phone"));
        Assert.Equal(3u, _host.Login("laptop"));

        await _host.ReopenAsync();

        Assert.Equal(2u, _host.Login("tablet"));
        Assert.Equal(3u, _host.Login("laptop"));
        Assert.Equal(1u, _host.Login("phone"));
        Assert.Equal(4u, _host.Login("watch"));
    }

    [Fact]
    public void A_first_login_starts_at_tx_0_and_position_0_and_a_later_login_updates_only_the_last_login_time()
    {
        var first = _host.Clients.Login("phone"u8);
        Assert.Equal(Encoding.UTF8.GetBytes("phone"), first.ClientId);
        Assert.Equal((1u, 0ul, 0ul), (first.Number, first.LastTxId, first.AppliedPosition));

        _host.Time.Advance(TimeSpan.FromHours(1));
        _host.Clients.Login("phone"u8);

        var times = _host.QueryFresh(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT first_login_utc, last_login_utc FROM clients WHERE number = 1";
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetString(0), reader.GetString(1));
        });
        Assert.Equal(("2026-11-26T10:00:00.0000000Z", "2026-11-26T11:00:00.0000000Z"), times);
    }

    [Fact]
    public async Task Login_returns_the_last_applied_tx_id_kept_by_the_writer()
    {
        var client = _host.Login("phone");
        await _host.SubmitAsync(client, 7, SyncTestHost.Put("Tag", 1, ("name", "red")));

        Assert.Equal(7ul, _host.Clients.Login("phone"u8).LastTxId);
    }

    [Fact]
    public async Task Applied_positions_only_move_forward_and_are_written_together_by_a_flush()
    {
        var phone = _host.Login("phone");
        var tablet = _host.Login("tablet");

        _host.Clients.SetAppliedPosition(phone, 5);
        _host.Clients.SetAppliedPosition(phone, 3);
        _host.Clients.SetAppliedPosition(tablet, 9);

        Assert.Equal(0L, _host.Count("SELECT sum(applied_position) FROM clients"));
        Assert.Equal(5ul, _host.Clients.Login("phone"u8).AppliedPosition);

        _host.Clients.Flush();

        Assert.Equal(5L, _host.Count("SELECT applied_position FROM clients WHERE number = 1"));
        Assert.Equal(9L, _host.Count("SELECT applied_position FROM clients WHERE number = 2"));
        await _host.ReopenAsync();
        Assert.Equal(9ul, _host.Clients.Login("tablet"u8).AppliedPosition);
    }

    [Fact]
    public async Task The_delayed_flush_writes_confirmed_positions_once_its_delay_passed()
    {
        var phone = _host.Login("phone");
        _host.Clients.SetAppliedPosition(phone, 4);
        var flush = _host.Clients.ScheduledFlush;
        Assert.False(flush.IsCompleted);
        Assert.Equal(0L, _host.Count("SELECT applied_position FROM clients"));

        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await flush.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4L, _host.Count("SELECT applied_position FROM clients"));
    }

    [Fact]
    public void Refuses_an_empty_client_id()
    {
        var ex = Assert.Throws<ArgumentException>(() => _host.Clients.Login([]));
        Assert.StartsWith("A client ID has 1 to 64 bytes, got 0", ex.Message, StringComparison.Ordinal);
    }
}
