namespace SyncServer.Web.Services;

/// <summary>
/// One page of an entity's objects and the entity's total count; <see cref="PropertySortRefusal"/> says why the entity
/// cannot be sorted by a property now (too many objects), null when it can.
/// </summary>
internal sealed record ObjectPage(IReadOnlyList<DecodedObject> Items, long TotalCount, string? PropertySortRefusal = null);
