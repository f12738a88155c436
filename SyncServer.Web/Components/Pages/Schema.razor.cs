using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using SyncServer.Engine.Schema;
using SyncServer.Web.Components.Shared;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Pages;

/// <summary>
/// The schema page: the current model, the versions (accept clients, view/download JSON, switch back), and uploading a
/// new version: validate, show the diff against the current version (with added properties' types), then make it current
/// or only add it as a version.
/// </summary>
public sealed partial class Schema
{
    /// <summary>Model files larger than this are refused before reading (real models are tens of KB).</summary>
    internal const long MaxModelBytes = 4 * 1024 * 1024;

    private CurrentSchema? _current;
    private IReadOnlyList<SchemaVersion> _versions = [];
    private ModelCheck? _check;
    private string? _uploadJson;
    private string? _uploadName;
    private string? _error;
    private IReadOnlyList<string> _errorDetails = [];
    private string? _notice;
    private int? _jsonVersion;
    private string _json = "";

    // Bumped when a switch's change is cancelled: the switches are made anew, showing the value that stands.
    private int _acceptRevision;

    [Inject]
    private IAdminService Admin { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    protected override void OnInitialized() => Reload();

    /// <summary>Reads the uploaded file and checks it; nothing is changed until <see cref="ApplyAsync"/>.</summary>
    internal async Task UploadAsync(IBrowserFile? file)
    {
        ClearMessages();
        _check = null;
        if (file is null)
        {
            return;
        }

        if (file.Size > MaxModelBytes)
        {
            Fail($"{file.Name} is {file.Size} bytes; a model file may be at most {MaxModelBytes} bytes.");
            return;
        }

        using var reader = new StreamReader(file.OpenReadStream(MaxModelBytes));
        await UseModelAsync(file.Name, await reader.ReadToEndAsync());
    }

    /// <summary>Checks <paramref name="json"/> as an upload named <paramref name="name"/> (also the test entry point).</summary>
    internal Task UseModelAsync(string name, string json)
    {
        _uploadName = name;
        _uploadJson = json.TrimStart('\uFEFF');
        _check = Admin.CheckModel(_uploadJson);
        StateHasChanged();
        return Task.CompletedTask;
    }

    internal Task ApplyAsync()
    {
        if (_check is not { CanApply: true } || _uploadJson is null)
        {
            return Task.CompletedTask;
        }

        try
        {
            var current = Admin.ApplyModel(_uploadJson, $"upload: {_uploadName}");
            _notice = $"Schema version {current.Version.Id} is now current.";
            _check = null;
        }
        catch (SchemaIncompatibleException e)
        {
            Fail(e.Message, [.. e.Conflicts.Select(c => c.Description)]);
        }

        Reload();
        return Task.CompletedTask;
    }

    /// <summary>
    /// "Add as a new version": stores the upload as a version without switching; the current version stays, and the new
    /// one refuses clients until "Accepts clients" is turned on for it.
    /// </summary>
    internal void AddAsVersion()
    {
        if (_check is not { CanApply: true } || _uploadJson is null)
        {
            return;
        }

        try
        {
            var added = Admin.AddModel(_uploadJson, $"upload: {_uploadName}");
            _notice = $"Schema version {added.Id} was added; version {_current?.Version.Id} stays current. "
                + $"Version {added.Id} does not accept clients until \"Accepts clients\" is turned on for it.";
            _check = null;
        }
        catch (SchemaIncompatibleException e)
        {
            Fail(e.Message, [.. e.Conflicts.Select(c => c.Description)]);
        }

        Reload();
    }

    /// <summary>"Make current": asks first (<see cref="SwitchConsequences"/>), then switches.</summary>
    internal async Task SwitchToAsync(int id)
    {
        ClearMessages();
        if (!await Dialogs.ConfirmAsync($"Make version {id} current?", SwitchConsequences(id), $"Make version {id} current", Color.Warning))
        {
            return;
        }

        try
        {
            Admin.SwitchTo(id);
            _notice = $"Schema version {id} is now current.";
        }
        catch (SchemaIncompatibleException e)
        {
            Fail(e.Message, [.. e.Conflicts.Select(c => c.Description)]);
        }

        Reload();
    }

    /// <summary>The "Accepts clients" switch: turning it off asks first (<see cref="RefuseConsequences"/>); on does not.</summary>
    internal async Task SetAcceptAsync(int id, bool accept)
    {
        ClearMessages();
        if (!accept && !await Dialogs.ConfirmAsync($"Refuse clients on version {id}?", RefuseConsequences(id), "Refuse clients"))
        {
            _acceptRevision++;
            return;
        }

        Admin.SetAcceptClients(id, accept);
        Reload();
    }

    /// <summary>What making version <paramref name="id"/> current does, for the confirmation.</summary>
    internal IReadOnlyList<string> SwitchConsequences(int id)
    {
        var lines = new List<string>
        {
            $"Version {id} becomes the current schema: the data pages and the export show the data in its model.",
        };
        if (_current is { } current)
        {
            var connected = ConnectedOn(current.Version.Id);
            lines.Add($"{ClientsText(connected)} connected on the current version {current.Version.Id} now. "
                + (current.Version.AcceptClients
                    ? $"Version {current.Version.Id} keeps accepting clients; they are then served as an older version."
                    : $"Version {current.Version.Id} does not accept clients."));
        }

        var target = _versions.FirstOrDefault(v => v.Id == id);
        if (target is { AcceptClients: false })
        {
            lines.Add($"Version {id} does not accept clients: turn \"Accepts clients\" on for it to let its clients in.");
        }

        return lines;
    }

    /// <summary>What turning "Accepts clients" off for version <paramref name="id"/> does, for the confirmation.</summary>
    internal IReadOnlyList<string> RefuseConsequences(int id)
    {
        var connected = ConnectedOn(id);
        var lines = new List<string>
        {
            $"Clients on schema version {id} can no longer log in. {ClientsText(connected)} connected on it now: "
                + (connected == 0 ? "none is affected at once." : "they stay connected until they disconnect, and are refused when they come back."),
        };
        if (!_versions.Any(v => v.Id != id && v.AcceptClients))
        {
            lines.Add("No other version accepts clients: every client will be refused.");
        }
        else if (id == _current?.Version.Id)
        {
            lines.Add($"Version {id} is the current version: clients built with the current model will be refused.");
        }

        return lines;
    }

    private int ConnectedOn(int versionId) => Admin.ConnectedClients().Count(c => c.SchemaVersion == versionId);

    private static string ClientsText(int count) => count switch
    {
        0 => "No client is",
        1 => "1 client is",
        _ => $"{count} clients are",
    };

    private void ToggleJson(int id)
    {
        _jsonVersion = _jsonVersion == id ? null : id;
        _json = _jsonVersion is { } v ? Admin.GetModelJson(v) : "";
    }

    private void Reload()
    {
        _current = Admin.CurrentSchema;
        _versions = Admin.ListVersions();
    }

    private void ClearMessages()
    {
        _error = null;
        _errorDetails = [];
        _notice = null;
    }

    private void Fail(string message, IReadOnlyList<string>? details = null)
    {
        _error = message;
        _errorDetails = details ?? [];
    }

    /// <summary>The type of an added property, from the uploaded model (empty for other changes).</summary>
    private string AddedType(SchemaChange change)
    {
        if (change.Kind != SchemaChangeKind.PropertyAdded || _check?.Preview?.Model is not { } model)
        {
            return "";
        }

        var dot = change.Location.IndexOf('.', StringComparison.Ordinal);
        var property = dot < 0 ? null : model.FindEntity(change.Location[..dot])?.FindProperty(change.Location[(dot + 1)..]);
        return property is null ? "" : property.Type.ToString();
    }

    internal static string ChangeLabel(SchemaChangeKind kind) => kind switch
    {
        SchemaChangeKind.EntityAdded or SchemaChangeKind.PropertyAdded or SchemaChangeKind.RelationAdded => "added",
        SchemaChangeKind.EntityRemoved or SchemaChangeKind.PropertyRemoved or SchemaChangeKind.RelationRemoved => "removed",
        SchemaChangeKind.EntityRenamed or SchemaChangeKind.PropertyRenamed => "renamed",
        _ => "changed",
    };
}
