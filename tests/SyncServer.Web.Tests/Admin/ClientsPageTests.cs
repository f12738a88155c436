using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Stats;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

public sealed class ClientsPageTests : BunitTestBase
{
    private readonly FakeAdminService _admin = new();

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    public ClientsPageTests()
    {
        Services.AddSingleton<IAdminService>(_admin);
        Services.AddSingleton<TimeProvider>(_time);
    }

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

    [Fact]
    public void Without_filters_the_filter_columns_show_a_dash_and_nothing_is_counted()
    {
        _admin.Clients.Add(Client(7));

        var cut = Render<Clients>();

        Assert.Equal("—", cut.Find("[data-testid=client-variables-7]").TextContent.Trim());
        Assert.Equal("—", cut.Find("[data-testid=client-visible-7]").TextContent.Trim());
        Assert.Empty(_admin.ClientFilterReads);
    }

    [Fact]
    public void With_filters_each_client_shows_its_variables_and_visible_object_count_and_links_to_the_explain_view()
    {
        _admin.Filters.Add(new EntityFilterInfo("Task", "notes == $client.owner", ["$client.owner"], ["notes"]));
        _admin.Clients.Add(Client(7));
        _admin.Clients.Add(Client(8));
        _admin.ClientFilterInfos[7] = new ClientFilterInfo(7, true, new Dictionary<string, string> { ["$client.owner"] = "\"alice\"" }, 1234, null);
        _admin.ClientFilterInfos[8] = new ClientFilterInfo(8, true, new Dictionary<string, string>(), 0, null);

        var cut = Render<Clients>();

        cut.WaitForAssertion(() => Assert.Equal("1,234", cut.Find("[data-testid=client-visible-7]").TextContent.Trim()));
        Assert.Equal("$client.owner = \"alice\"", cut.Find("[data-testid=client-variables-7]").TextContent.Trim());
        Assert.Equal("0", cut.Find("[data-testid=client-visible-8]").TextContent.Trim());
        Assert.Equal("none", cut.Find("[data-testid=client-variables-8]").TextContent.Trim());
        Assert.Equal("filters/explain?client=7", cut.Find("[data-testid=client-explain-7]").GetAttribute("href"));
    }

    [Fact]
    public void Only_the_clients_on_the_shown_page_are_counted()
    {
        _admin.Filters.Add(new EntityFilterInfo("Task", "priority > 2", [], []));
        for (uint n = 1; n <= Clients.PageSize + 5; n++)
        {
            _admin.Clients.Add(Client(n));
            _admin.ClientFilterInfos[n] = new ClientFilterInfo(n, true, new Dictionary<string, string>(), n * 10, null);
        }

        var cut = Render<Clients>();

        cut.WaitForAssertion(() => Assert.Equal("250", cut.Find($"[data-testid=client-visible-{Clients.PageSize}]").TextContent.Trim()));
        Assert.Equal(Enumerable.Range(1, Clients.PageSize).Select(n => (uint)n), Reads());
        Assert.Empty(cut.FindAll($"[data-testid=client-visible-{Clients.PageSize + 1}]"));

        cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudPagination>().Instance.NavigateToAsync(MudBlazor.Page.Next));

        cut.WaitForAssertion(() => Assert.Equal("300", cut.Find($"[data-testid=client-visible-{Clients.PageSize + 5}]").TextContent.Trim()));
        Assert.Equal(Enumerable.Range(1, Clients.PageSize + 5).Select(n => (uint)n), Reads());
    }

    [Fact]
    public void The_counts_are_read_again_only_after_the_refresh_interval()
    {
        _admin.Filters.Add(new EntityFilterInfo("Task", "priority > 2", [], []));
        _admin.Clients.Add(Client(7));
        _admin.ClientFilterInfos[7] = new ClientFilterInfo(7, true, new Dictionary<string, string>(), 5, null);
        var cut = Render<Clients>();
        cut.WaitForAssertion(() => Assert.Equal("5", cut.Find("[data-testid=client-visible-7]").TextContent.Trim()));
        lock (_admin.ClientFilterReads)
        {
            _admin.ClientFilterInfos[7] = new ClientFilterInfo(7, true, new Dictionary<string, string>(), 6, null);
        }

        _time.Advance(Clients.FilterRefresh - TimeSpan.FromSeconds(1));
        Tick();
        Assert.Equal("5", cut.Find("[data-testid=client-visible-7]").TextContent.Trim());
        Assert.Equal([7u], Reads());

        _time.Advance(TimeSpan.FromSeconds(1));
        Tick();
        cut.WaitForAssertion(() => Assert.Equal("6", cut.Find("[data-testid=client-visible-7]").TextContent.Trim()));
        Assert.Equal([7u, 7u], Reads());
    }

    private static ClientStats Client(uint number) =>
        new($"0A1B2C3D4E5F{number:X8}", number, "127.0.0.1:5000", DateTimeOffset.UnixEpoch, 1, 10, 12, 3, 100, 2048, 5, 6, null);

    private void Tick() => _admin.Subscriber!(new StatSnapshot(DateTimeOffset.UnixEpoch, new Dictionary<string, long>(), new Dictionary<string, long>()));

    private List<uint> Reads()
    {
        lock (_admin.ClientFilterReads)
        {
            return [.. _admin.ClientFilterReads];
        }
    }
}
