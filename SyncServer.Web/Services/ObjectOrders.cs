using SyncServer.Engine.Data;

namespace SyncServer.Web.Services;

/// <summary>The <see cref="ObjectOrder"/> a grid column name stands for (by ID unless it is the last-change column).</summary>
internal static class ObjectOrders
{
    public static ObjectOrder Parse(string? column) =>
        string.Equals(column, nameof(ObjectOrder.LastChange), StringComparison.Ordinal) ? ObjectOrder.LastChange : ObjectOrder.Id;
}
