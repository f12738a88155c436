using SyncServer.Core.Model;
using SyncServer.Engine.Data;
using SyncServer.Engine.Schema;

namespace SyncServer.Web.Services;

/// <summary>An entity of the current schema with its stored object count.</summary>
internal sealed record EntitySummary(ModelEntity Entity, long ObjectCount);

/// <summary>One stored object decoded with the current schema; <see cref="Error"/> is set when its bytes did not decode.</summary>
internal sealed record DecodedObject(ulong Id, ulong Position, IReadOnlyDictionary<uint, object?> Values, int Size, string? Error = null);

/// <summary>
/// One page of an entity's objects and the entity's total count; <see cref="PropertySortRefusal"/> says why the entity
/// cannot be sorted by a property now (too many objects), null when it can.
/// </summary>
internal sealed record ObjectPage(IReadOnlyList<DecodedObject> Items, long TotalCount, string? PropertySortRefusal = null);

/// <summary>How a page of objects is sorted: by the value of the property named <see cref="Property"/> when it is set, else by <see cref="Order"/>.</summary>
internal sealed record ObjectSort(ObjectOrder Order, bool Descending = false, string? Property = null)
{
    public static ObjectSort ById { get; } = new(ObjectOrder.Id);

    public static ObjectSort ByProperty(string property, bool descending = false) => new(ObjectOrder.Id, descending, property);
}

/// <summary>What an uploaded model would do: either <see cref="Errors"/> (invalid JSON or model) or a preview with the diff.</summary>
internal sealed record ModelCheck(IReadOnlyList<string> Errors, SchemaPreview? Preview)
{
    public bool IsValid => Errors.Count == 0 && Preview is not null;

    public bool CanApply => IsValid && Preview!.IsCompatible;
}

/// <summary>Everything the status page shows, read at one moment.</summary>
internal sealed record ServerStatus(
    string Version,
    DateTimeOffset? StartedAt,
    TimeSpan Uptime,
    string DataDirectory,
    long DatabaseBytes,
    long? DatabaseMaxBytes,
    long? FreeDiskBytes,
    long ProcessMemoryBytes,
    int CpuCount,
    double? LoadAverage1Min,
    IReadOnlyList<NetworkInterfaceInfo> Interfaces,
    IReadOnlyList<string> BindUrls,
    int? SchemaVersion);

internal sealed record NetworkInterfaceInfo(string Name, string Status, IReadOnlyList<string> Addresses);

internal static class ObjectOrders
{
    public static ObjectOrder Parse(string? column) =>
        string.Equals(column, nameof(ObjectOrder.LastChange), StringComparison.Ordinal) ? ObjectOrder.LastChange : ObjectOrder.Id;
}
