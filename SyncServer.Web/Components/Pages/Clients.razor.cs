using System.Globalization;
using Microsoft.AspNetCore.Components;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Stats;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Pages;

/// <summary>
/// The connected clients, live (once a second), <see cref="PageSize"/> to a page. With sync filters configured each
/// shown client's filter variables and visible object count are read too: that costs a query per client, so it runs off
/// the render thread, one client after the other, only for the rows shown, and at most every <see cref="FilterRefresh"/>
/// per client.
/// </summary>
public sealed partial class Clients : IDisposable
{
    internal const int PageSize = 25;

    /// <summary>How old a client's filter figures may get before the page reads them again.</summary>
    internal static readonly TimeSpan FilterRefresh = TimeSpan.FromSeconds(10);

    private readonly Dictionary<uint, (ClientFilterInfo? Info, long ReadAt)> _filterInfo = [];
    private IReadOnlyList<ClientStats> _clients = [];
    private bool _filtered;
    private int _page = 1;
    private bool _reading;
    private volatile bool _disposed;
    private IDisposable? _subscription;
    private CancellationTokenRegistration _stopping;

    [Inject]
    private IAdminService Admin { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private int PageCount => Math.Max(1, (_clients.Count + PageSize - 1) / PageSize);

    private IEnumerable<ClientStats> Shown => _clients.Skip((_page - 1) * PageSize).Take(PageSize);

    protected override void OnInitialized()
    {
        _clients = Admin.ConnectedClients();
        _stopping = Admin.ServerStopping.Register(() => _ = InvokeAsync(StateHasChanged));
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Live updates only once interactive: a prerendered page has no circuit, so it subscribes after the first render and
        // re-renders through InvokeAsync (the feed calls back on its own thread); the subscription is disposed with the page.
        if (firstRender)
        {
            _subscription = Admin.SubscribeStatistics(tick => _ = InvokeAsync(() =>
            {
                _clients = Admin.ConnectedClients();
                _page = Math.Min(_page, PageCount);
                ReadFilters();
                StateHasChanged();
            }));
            ReadFilters();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        _stopping.Dispose();
    }

    private void ShowPage(int page)
    {
        _page = Math.Clamp(page, 1, PageCount);
        ReadFilters();
    }

    /// <summary>Starts reading the filter figures of the shown clients that have none or old ones, unless a read runs.</summary>
    private void ReadFilters()
    {
        _filtered = Admin.ListFilters().Count > 0;
        if (!_filtered || _reading || _disposed)
        {
            return;
        }

        var now = Time.GetTimestamp();
        var due = Shown.Select(c => c.ClientNumber)
            .Where(n => !_filterInfo.TryGetValue(n, out var read) || Time.GetElapsedTime(read.ReadAt, now) >= FilterRefresh)
            .ToList();
        if (due.Count == 0)
        {
            return;
        }

        _reading = true;
        _ = Task.Run(async () =>
        {
            var read = new List<(uint Number, ClientFilterInfo? Info)>(due.Count);
            try
            {
                foreach (var number in due.TakeWhile(_ => !_disposed))
                {
                    read.Add((number, Admin.ClientFilters(number)));
                }
            }
            finally
            {
                if (!_disposed)
                {
                    await InvokeAsync(() => Apply(read));
                }
            }
        });
    }

    private void Apply(List<(uint Number, ClientFilterInfo? Info)> read)
    {
        var at = Time.GetTimestamp();
        foreach (var (number, info) in read)
        {
            _filterInfo[number] = (info, at);
        }

        var connected = _clients.Select(c => c.ClientNumber).ToHashSet();
        foreach (var gone in _filterInfo.Keys.Where(n => !connected.Contains(n)).ToList())
        {
            _filterInfo.Remove(gone);
        }

        _reading = false;
        StateHasChanged();
    }

    private string VariablesText(uint clientNumber)
    {
        if (!_filtered)
        {
            return "—";
        }

        if (!_filterInfo.TryGetValue(clientNumber, out var read))
        {
            return "…";
        }

        return read.Info is not { Variables.Count: > 0 } info
            ? "none"
            : string.Join(", ", info.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key} = {v.Value}"));
    }

    private string VisibleText(uint clientNumber) =>
        !_filtered ? "—"
        : !_filterInfo.TryGetValue(clientNumber, out var read) ? "…"
        : read.Info is null ? "—"
        : read.Info.VisibleObjects.ToString("N0", CultureInfo.InvariantCulture) + (read.Info.Problem is null ? "" : " ⚠");

    private string? ProblemOf(uint clientNumber) => _filterInfo.GetValueOrDefault(clientNumber).Info?.Problem;

    private static string Abbreviate(string id) => id.Length > 12 ? id[..12] + "…" : id;
}
