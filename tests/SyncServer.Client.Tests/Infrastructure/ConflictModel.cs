using SyncServer.Tests.TestSupport;

namespace SyncServer.Client.Tests.Infrastructure;

/// <summary>
/// examples/objectbox-model.json (Project, Task and Tag: no conflict properties, so the last received write wins) plus
/// Note (text, SYNC_PRECEDENCE precedence, SYNC_CLOCK clock) and Event (name, SYNC_CLOCK clock), both sync-enabled.
/// </summary>
internal static class ConflictModel
{
    public static string Json { get; } = ModelJson.Example().AddConflictEntities().ToJsonString();
}
