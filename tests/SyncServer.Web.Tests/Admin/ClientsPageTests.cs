using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Engine.Stats;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

public sealed class ClientsPageTests : BunitTestBase
{
    private readonly FakeAdminService _admin = new();

    public ClientsPageTests() => Services.AddSingleton<IAdminService>(_admin);

    [Fact]
    public async Task The_clients_page_updates_on_each_statistics_tick_and_unsubscribes_when_disposed()
    {
        var cut = Render<Clients>();
        Assert.Equal("0", cut.Find("[data-testid=client-count]").TextContent);
        Assert.NotNull(_admin.Subscriber);

        _admin.Clients.Add(new ClientStats("0A1B2C3D4E5F60718293", 7, "127.0.0.1:5000", DateTimeOffset.UnixEpoch, 1, 10, 12, 3, 100, 2048, 5, 6, "ERROR 4"));
        _admin.Subscriber!(new StatSnapshot(DateTimeOffset.UnixEpoch, new Dictionary<string, long>(), new Dictionary<string, long>()));

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=client-count]").TextContent));
        var row = cut.Find("[data-testid=clients-table] tbody tr").TextContent;
        Assert.Contains("#7", row, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:5000", row, StringComparison.Ordinal);
        Assert.Contains("ERROR 4", row, StringComparison.Ordinal);

        await DisposeComponentsAsync();
        Assert.Null(_admin.Subscriber);
    }

    [Fact]
    public async Task While_the_server_stops_the_page_no_longer_says_live()
    {
        var cut = Render<Clients>();
        Assert.Equal("live, updated every second", cut.Find("[data-testid=clients-live]").TextContent);

        await _admin.Stopping.CancelAsync();

        cut.WaitForAssertion(() =>
            Assert.Equal("server stopping: clients are being disconnected", cut.Find("[data-testid=clients-live]").TextContent));
    }
}
