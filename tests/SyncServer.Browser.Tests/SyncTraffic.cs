using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Browser.Tests;

/// <summary>Traffic for the browser tests' servers, made by a raw sync client on the example model.</summary>
internal static class SyncTraffic
{
    /// <summary>
    /// Logs the client in and applies <paramref name="count"/> TXs of one new Project each, one by one ("Statistics
    /// project 1" with color 1, …); returns the projects' global IDs.
    /// </summary>
    public static async Task<IReadOnlyList<ulong>> ApplyTransactionsAsync(RawSyncClient client, int count)
    {
        var model = ModelJsonReader.Read(await File.ReadAllTextAsync(TestPaths.ExampleModel));
        var project = model.FindEntity("Project")!;
        var (login, _, _) = await client.LoginAndCatchUpAsync(Convert.FromHexString(model.Hash));
        var ids = new List<ulong>();
        for (var i = 1; i <= count; i++)
        {
            var id = ((ulong)login.ClientNumber << 40) | (uint)i;
            var values = new Dictionary<uint, object?> { [1] = id, [2] = $"Statistics project {i}", [3] = i, [4] = 1735787045678L };
            await client.SendAsync(new ApplyTxMessage(new ClientTx((ulong)i, [new PutOp(project.Id.Id, id, ObjectCodec.Encode(project, values))])));
            await client.ExpectAsync<AckTxMessage>();
            ids.Add(id);
        }

        return ids;
    }
}
