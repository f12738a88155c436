using Microsoft.AspNetCore.Components;
using MudBlazor;
using SyncServer.Core.Model;
using SyncServer.Engine.Data;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Pages;

/// <summary>
/// One entity's stored objects: server-side paging and sorting, a column per property. ID and last change sort in SQL at
/// any size; bool, number, string and date properties sort in the engine (<see cref="ObjectBrowser.PageByProperty"/>)
/// while the entity has at most the property sort limit of objects, beyond which their headers are not sortable and an
/// alert says why. Vector, bytes and Flex columns never sort. The page, page size and sort live in the query string
/// (<see cref="GridUrlState"/>): read when the entity is opened, written back (replacing the history entry) with every load.
/// </summary>
public sealed partial class EntityObjects
{
    private readonly Dictionary<ulong, TemplateColumn<DecodedObject>> _propertyColumns = [];
    private MudDataGrid<DecodedObject>? _grid;
    private ModelEntity? _entity;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private string? _sortRefusal;
    private GridUrlState _url = GridUrlState.Default;
    private int _page;
    private int _size = GridUrlState.DefaultSize;

    [Parameter]
    public string EntityName { get; set; } = "";

    protected override async Task OnParametersSetAsync()
    {
        var entity = Admin.CurrentSchema?.Model.FindEntity(EntityName);
        var changed = !ReferenceEquals(entity, _entity);
        _entity = entity;
        if (changed)
        {
            _url = GridUrlState.Parse(new Uri(Navigation.Uri).Query, name => entity?.FindProperty(name) is { IsIdProperty: false } p && ObjectBrowser.CanSortBy(p));
            _page = _url.Page;
            _size = _url.Size;
        }

        _breadcrumbs = [new("Data", "data"), new(EntityName, null, disabled: true)];
        if (changed && _grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    /// <summary>The grid's page request, in the order of its sorted column (ID when none is).</summary>
    internal Task<GridData<DecodedObject>> LoadAsync(GridState<DecodedObject> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var pageIndex = state.Page;
        var page = Query(pageIndex * state.PageSize, state.PageSize, sort);
        if (page.Items.Count == 0 && pageIndex > 0 && page.TotalCount > 0)
        {
            // A page past the end (an old link, or objects deleted since): the first page instead.
            pageIndex = 0;
            page = Query(0, state.PageSize, sort);
            _ = InvokeAsync(() =>
            {
                _page = 0;
                StateHasChanged();
            });
        }

        if (!string.Equals(page.PropertySortRefusal, _sortRefusal, StringComparison.Ordinal))
        {
            _sortRefusal = page.PropertySortRefusal;
            StateHasChanged();
        }

        WriteUrl(pageIndex, state.PageSize, sort);
        return Task.FromResult(new GridData<DecodedObject> { Items = page.Items, TotalItems = (int)Math.Min(page.TotalCount, int.MaxValue) });
    }

    private ObjectPage Query(int skip, int take, SortDefinition<DecodedObject>? sort)
    {
        try
        {
            return Admin.QueryObjects(EntityName, skip, take, ToSort(sort));
        }
        catch (PropertySortRefusedException e)
        {
            // The entity grew past the limit after its headers were drawn as sortable: say why, and page by ID.
            return Admin.QueryObjects(EntityName, skip, take, ObjectSort.ById) with { PropertySortRefusal = e.Message };
        }
    }

    private ObjectSort ToSort(SortDefinition<DecodedObject>? sort)
    {
        if (sort is null)
        {
            return ObjectSort.ById;
        }

        if (sort.SortBy == nameof(DecodedObject.Position))
        {
            return new ObjectSort(ObjectOrder.LastChange, sort.Descending);
        }

        // Template columns have no property name of their own: find the property whose column is sorted.
        var property = _entity?.Properties.FirstOrDefault(p =>
            _propertyColumns.TryGetValue(p.Id.Uid, out var column) && column.PropertyName == sort.SortBy);
        return property is null ? new ObjectSort(ObjectOrder.Id, sort.Descending) : ObjectSort.ByProperty(property.Name, sort.Descending);
    }

    // Puts the grid's state into the query string (replacing the history entry, so back leaves the grid, not the sort).
    private void WriteUrl(int pageIndex, int pageSize, SortDefinition<DecodedObject>? sort)
    {
        var name = sort is null ? GridUrlState.IdSort : ToSort(sort) switch
        {
            { Property: { } property } => property,
            { Order: ObjectOrder.LastChange } => GridUrlState.LastChangeSort,
            _ => GridUrlState.IdSort,
        };
        _url = new GridUrlState(pageIndex, pageSize, name, sort?.Descending ?? false);
        var uri = Navigation.GetUriWithQueryParameters(_url.ToQuery());
        if (!string.Equals(uri, Navigation.Uri, StringComparison.Ordinal))
        {
            Navigation.NavigateTo(uri, replace: true);
        }
    }

    /// <summary>The column's sort when the grid is first drawn, from the URL.</summary>
    private SortDirection Direction(string sortName) =>
        _url.Sort == sortName && (sortName != GridUrlState.IdSort || _url.Descending)
            ? (_url.Descending ? SortDirection.Descending : SortDirection.Ascending)
            : SortDirection.None;

    private bool CanSort(ModelProperty property) => _sortRefusal is null && ObjectBrowser.CanSortBy(property);

    /// <summary>The header's tooltip: why the column does not sort, or null when it does.</summary>
    private string? SortHint(ModelProperty property) =>
        !ObjectBrowser.CanSortBy(property) ? $"{property.Type} values cannot be sorted" : _sortRefusal;
}
