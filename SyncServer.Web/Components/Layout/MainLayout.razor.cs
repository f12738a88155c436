using Microsoft.AspNetCore.Components;
using MudBlazor;
using SyncServer.Web.Hosting;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Layout;

public sealed partial class MainLayout : IDisposable
{
    private readonly AdminTheme _theme = new();
    private bool _drawerOpen = true;
    private bool _darkMode;
    private bool _interactive;

    [Inject]
    private IAdminService Admin { get; set; } = default!;

    private static string ServerInfoVersion => "v" + ServerInfo.Version;

    private string StateText => Admin.CurrentSchema is { } schema ? $"Running · schema version {schema.Version.Id}" : "Starting";

    private Color StateColor => Admin.CurrentSchema is null ? Color.Warning : Color.Success;

    protected override void OnInitialized() => Admin.SchemaChanged += OnSchemaChanged;

    /// <summary>Marks the layout once the circuit is live (browser tests wait for it before clicking).</summary>
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _interactive = true;
            StateHasChanged();
        }
    }

    public void Dispose() => Admin.SchemaChanged -= OnSchemaChanged;

    private void OnSchemaChanged(object? sender, EventArgs e) => _ = InvokeAsync(StateHasChanged);

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private void ToggleDark() => _darkMode = !_darkMode;
}
