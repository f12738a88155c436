using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
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

    // No schema version accepts clients: every login is refused (docs/admin.md, the header's warning state).
    private bool _refusesAllClients;
    private CancellationTokenRegistration _stopping;

    [Inject]
    private IAdminService Admin { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>The theme the page was requested in (the theme cookie, <see cref="ThemeCookie"/>).</summary>
    [CascadingParameter(Name = ThemeCookie.InitialDarkMode)]
    private bool InitialDarkMode { get; set; }

    private static string ServerInfoVersion => "v" + ServerInfo.Version;

    private string StateText => Admin.CurrentSchema switch
    {
        _ when Admin.ServerStopping.IsCancellationRequested => "Stopping",
        null => "Starting",
        { } schema when _refusesAllClients => $"No version accepts clients · schema version {schema.Version.Id}",
        { } schema => $"Running · schema version {schema.Version.Id}",
    };

    private Color StateColor => Admin.ServerStopping.IsCancellationRequested
        ? Color.Error
        : Admin.CurrentSchema is null || _refusesAllClients ? Color.Warning : Color.Success;

    protected override void OnInitialized()
    {
        _darkMode = InitialDarkMode;
        ReadVersions();
        Admin.SchemaChanged += OnSchemaChanged;
        _stopping = Admin.ServerStopping.Register(() => _ = InvokeAsync(StateHasChanged));
    }

    /// <summary>Marks the layout once the circuit is live (browser tests wait for it before clicking).</summary>
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _interactive = true;
            StateHasChanged();
        }
    }

    public void Dispose()
    {
        Admin.SchemaChanged -= OnSchemaChanged;
        _stopping.Dispose();
    }

    private void OnSchemaChanged(object? sender, EventArgs e) => _ = InvokeAsync(() =>
    {
        ReadVersions();
        StateHasChanged();
    });

    private void ReadVersions() => _refusesAllClients = Admin.CurrentSchema is not null && !Admin.ListVersions().Any(v => v.AcceptClients);

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    /// <summary>Switches the theme and saves the choice in the theme cookie for the next page load.</summary>
    private async Task ToggleDarkAsync()
    {
        _darkMode = !_darkMode;
        try
        {
            await using var module = await JS.InvokeAsync<IJSObjectReference>("import", ThemeCookie.ModulePath);
            await module.InvokeVoidAsync("save", _darkMode);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; nothing to save it from.
        }
    }
}
