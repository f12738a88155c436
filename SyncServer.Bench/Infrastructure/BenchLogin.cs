using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Infrastructure;

internal static class BenchLogin
{
    /// <summary>LOGIN with the benchmark's schema and no credentials, before the receive loop starts; throws unless the
    /// result is OK (a run must not go on measuring a refused client).</summary>
    public static async Task<LoginResultMessage> LoginOkAsync(this RawSyncClient client, RequestUpdatesMode mode, IReadOnlyList<FilterVariable>? filterVariables = null)
    {
        var result = await client.LoginAsync(BenchModel.SchemaHash, mode, filterVariables: filterVariables);
        return result.Code == LoginResultCode.Ok ? result : throw new InvalidOperationException($"login failed: {RawSyncClient.Describe(result)}");
    }
}
