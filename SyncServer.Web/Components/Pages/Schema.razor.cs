using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using SyncServer.Engine.Schema;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Pages;

/// <summary>
/// The schema page: the current model, the versions (accept clients, view/download JSON, switch back), and uploading a
/// new version: validate, show the diff against the current version, confirm to make it current.
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

    [Inject]
    private IAdminService Admin { get; set; } = default!;

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

    private void SwitchTo(int id)
    {
        ClearMessages();
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

    private void SetAccept(int id, bool accept)
    {
        ClearMessages();
        Admin.SetAcceptClients(id, accept);
        Reload();
    }

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

    internal static string ChangeLabel(SchemaChangeKind kind) => kind switch
    {
        SchemaChangeKind.EntityAdded or SchemaChangeKind.PropertyAdded or SchemaChangeKind.RelationAdded => "added",
        SchemaChangeKind.EntityRemoved or SchemaChangeKind.PropertyRemoved or SchemaChangeKind.RelationRemoved => "removed",
        SchemaChangeKind.EntityRenamed or SchemaChangeKind.PropertyRenamed => "renamed",
        _ => "changed",
    };
}
