using Microsoft.AspNetCore.Components;
using MudBlazor;
using SyncServer.Core.Model;
using SyncServer.Engine.Data;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Pages;

/// <summary>One entity's stored objects: server-side paging and sorting (by ID or last change), a column per property.</summary>
public sealed partial class EntityObjects
{
    private MudDataGrid<DecodedObject>? _grid;
    private ModelEntity? _entity;
    private List<BreadcrumbItem> _breadcrumbs = [];

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

    /// <summary>The grid's page request: sorted by ID unless the "Last change" column is sorted.</summary>
    internal Task<GridData<DecodedObject>> LoadAsync(GridState<DecodedObject> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var order = sort?.SortBy == nameof(DecodedObject.Position) ? ObjectOrder.LastChange : ObjectOrder.Id;
        var page = Admin.QueryObjects(EntityName, state.Page * state.PageSize, state.PageSize, order, sort?.Descending ?? false);
        return Task.FromResult(new GridData<DecodedObject> { Items = page.Items, TotalItems = (int)Math.Min(page.TotalCount, int.MaxValue) });
    }
}
