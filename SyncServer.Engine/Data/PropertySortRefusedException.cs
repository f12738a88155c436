namespace SyncServer.Engine.Data;

/// <summary>
/// <see cref="ObjectBrowser.PageByProperty"/> refused: the entity has more objects than the property sort limit. The
/// message says so and what to do instead; sorting by ID or last change still works.
/// </summary>
public sealed class PropertySortRefusedException(string message, long objectCount, int limit) : InvalidOperationException(message)
{
    public long ObjectCount { get; } = objectCount;

    public int Limit { get; } = limit;
}
