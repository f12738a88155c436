using SyncServer.Engine.Data;

namespace SyncServer.Web.Services;

/// <summary>How a page of objects is sorted: by the value of the property named <see cref="Property"/> when it is set, else by <see cref="Order"/>.</summary>
internal sealed record ObjectSort(ObjectOrder Order, bool Descending = false, string? Property = null)
{
    public static ObjectSort ById { get; } = new(ObjectOrder.Id);

    public static ObjectSort ByProperty(string property, bool descending = false) => new(ObjectOrder.Id, descending, property);
}
