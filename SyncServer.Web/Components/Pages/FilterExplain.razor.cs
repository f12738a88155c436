using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Stats;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Pages;

/// <summary>
/// The explain view: whether a client can see an object and why (<see cref="IAdminService.ExplainFilter"/>). The request
/// lives in the URL (<c>?client=7&amp;entity=Task&amp;id=42</c>), so a result can be shared and reloaded; a partial
/// query only fills the form. Bad input and the engine's refusals show inline.
/// </summary>
public sealed partial class FilterExplain
{
    private readonly List<BreadcrumbItem> _breadcrumbs = [new("Sync filters", "filters"), new("Explain", null, disabled: true)];
    private IReadOnlyList<ClientStats> _connected = [];
    private IReadOnlyList<string> _entities = [];
    private HashSet<string> _filtered = [];
    private string? _clientText;
    private string? _entity;
    private string? _idText;
    private string? _error;
    private FilterExplanation? _result;
    private List<(string Name, string Value)> _variables = [];

    // Set by Submit: the navigation it makes explains even an incomplete request, saying what is missing.
    private bool _submitted;

    [Inject]
    private IAdminService Admin { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "client")]
    public string? Client { get; set; }

    [SupplyParameterFromQuery(Name = "entity")]
    public string? Entity { get; set; }

    [SupplyParameterFromQuery(Name = "id")]
    public string? Id { get; set; }

    protected override void OnParametersSet()
    {
        var filters = Admin.ListFilters();
        _filtered = [.. filters.Select(f => f.Entity)];
        _entities = [.. Admin.CurrentSchema?.Model.Entities.Select(e => e.Name) ?? []];
        _connected = Admin.ConnectedClients();
        _clientText = Client;
        _entity = Entity ?? (filters.Count == 1 ? filters[0].Entity : null);
        _idText = Id;
        _error = null;
        _result = null;
        if (_submitted || (!string.IsNullOrWhiteSpace(Client) && !string.IsNullOrWhiteSpace(Entity) && !string.IsNullOrWhiteSpace(Id)))
        {
            Explain(Client, Entity, Id, filters);
        }

        _submitted = false;
    }

    /// <summary>The connected client whose number is typed in, shown in the dropdown; null for any other input.</summary>
    private uint? PickedClient =>
        uint.TryParse(_clientText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && _connected.Any(c => c.ClientNumber == number)
            ? number
            : null;

    private void PickClient(uint? number) => _clientText = number?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Puts the form into the URL; the navigation sets the parameters, which explains (or shows what is wrong).</summary>
    private void Submit()
    {
        var uri = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["client"] = _clientText?.Trim(),
            ["entity"] = _entity,
            ["id"] = _idText?.Trim(),
        });
        if (uri == Navigation.Uri)
        {
            // Same request again: the parameters do not change, so explain anew here (the object may have changed).
            Explain(_clientText, _entity, _idText, Admin.ListFilters());
        }
        else
        {
            _submitted = true;
            Navigation.NavigateTo(uri);
        }
    }

    private void Explain(string? clientText, string? entity, string? idText, IReadOnlyList<EntityFilterInfo> filters)
    {
        _error = Check(clientText, entity, idText, out var client, out var id);
        _result = null;
        _variables = [];
        if (_error is not null)
        {
            return;
        }

        var answer = Admin.ExplainFilter(client, entity!, id);
        _error = answer.Error;
        _result = answer.Explanation;
        if (_result is not null)
        {
            // A connected client logged in, so a variable it did not send has a default; a stored state may be older than the filter.
            var read = filters.FirstOrDefault(f => f.Entity == _result.Entity)?.Variables ?? [];
            var absent = _result.Connected ? "not sent: the filter's default applies" : "not sent";
            _variables = [.. read.Select(v => (v, _result.Variables.TryGetValue(v, out var value) ? value : absent)),
                .. _result.Variables.Where(v => !read.Contains(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value))];
        }
    }

    /// <summary>What is wrong with the form's input, or null when the engine can be asked.</summary>
    internal static string? Check(string? clientText, string? entity, string? idText, out uint client, out ulong id)
    {
        id = 0;
        if (string.IsNullOrWhiteSpace(clientText))
        {
            client = 0;
            return "Enter a client number (the Clients page shows the connected ones).";
        }

        if (!uint.TryParse(clientText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out client) || client == 0)
        {
            return $"Client number \"{clientText.Trim()}\" is not a number from 1 to {uint.MaxValue}.";
        }

        if (string.IsNullOrWhiteSpace(entity))
        {
            return "Pick an entity.";
        }

        if (string.IsNullOrWhiteSpace(idText))
        {
            return "Enter an object ID.";
        }

        return ulong.TryParse(idText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != 0
            ? null
            : $"Object ID \"{idText.Trim()}\" is not a number from 1 to {ulong.MaxValue}.";
    }
}
