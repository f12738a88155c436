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
/// alert says why. Vector, bytes and Flex columns never sort.
/// </summary>
public sealed partial class EntityObjects
{
    private readonly Dictionary<ulong, TemplateColumn<DecodedObject>> _propertyColumns = [];
    private MudDataGrid<DecodedObject>? _grid;
    private ModelEntity? _entity;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private string? _sortRefusal;

    [Parameter]
    public string EntityName { get; set; } = "";

    protected override async Task OnParametersSetAsync()
    {
        var entity = Admin.CurrentSchema?.Model.FindEntity(EntityName);
        var changed = !ReferenceEquals(entity, _entity);
        _entity = entity;
        _breadcrumbs = [new("Data", "data"), new(EntityName, null, disabled: true)];
        if (changed && _grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    /// <summary>The grid's page request, in the order of its sorted column (ID when none is).</summary>
    internal Task<GridData<DecodedObject>> LoadAsync(GridState<DecodedObject> state, CancellationToken cancellationToken)
    {
        var skip = state.Page * state.PageSize;
        ObjectPage page;
        try
        {
            page = Admin.QueryObjects(EntityName, skip, state.PageSize, ToSort(state.SortDefinitions.FirstOrDefault()));
        }
        catch (PropertySortRefusedException e)
        {
            // The entity grew past the limit after its headers were drawn as sortable: say why, and page by ID.
            page = Admin.QueryObjects(EntityName, skip, state.PageSize, ObjectSort.ById) with { PropertySortRefusal = e.Message };
        }

        if (!string.Equals(page.PropertySortRefusal, _sortRefusal, StringComparison.Ordinal))
        {
            _sortRefusal = page.PropertySortRefusal;
            StateHasChanged();
        }

        return Task.FromResult(new GridData<DecodedObject> { Items = page.Items, TotalItems = (int)Math.Min(page.TotalCount, int.MaxValue) });
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

    private bool CanSort(ModelProperty property) => _sortRefusal is null && ObjectBrowser.CanSortBy(property);

    /// <summary>The header's tooltip: why the column does not sort, or null when it does.</summary>
    private string? SortHint(ModelProperty property) =>
        !ObjectBrowser.CanSortBy(property) ? $"{property.Type} values cannot be sorted" : _sortRefusal;
}
