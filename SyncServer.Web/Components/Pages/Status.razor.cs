using System.Globalization;
using Microsoft.AspNetCore.Components;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Pages;

/// <summary>
/// The server's facts (<see cref="IAdminService.GetStatus"/>) and the debug switch. After the first interactive render the
/// page reads them again every <see cref="RefreshInterval"/> (uptime, database size, connected clients, memory), on the
/// injected clock, and stops when left.
/// </summary>
public sealed partial class Status : IDisposable
{
    /// <summary>How often the page reads the status again.</summary>
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private ServerStatus _status = default!;
    private int _clients;
    private bool _debug;
    private ITimer? _timer;

    [Inject]
    private IAdminService Admin { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override void OnInitialized() => Refresh();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _timer = Time.CreateTimer(_ => _ = InvokeAsync(() =>
            {
                Refresh();
                StateHasChanged();
            }), null, RefreshInterval, RefreshInterval);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private void Refresh()
    {
        _status = Admin.GetStatus();
        _clients = Admin.ConnectedClients().Count;
        _debug = Admin.DebugLogging;
    }

    private void SetDebug(bool on)
    {
        Admin.DebugLogging = on;
        _debug = Admin.DebugLogging;
    }

    internal static string Uptime(TimeSpan uptime) =>
        uptime.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)uptime.TotalDays} d {uptime.Hours} h {uptime.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{uptime.Hours} h {uptime.Minutes} min {uptime.Seconds} s");
}
