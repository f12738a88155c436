using SyncServer.Client.Tests.Infrastructure;

namespace SyncServer.Client.Tests;

/// <summary>Clients against the real sync-server process on loopback.</summary>
#pragma warning disable CA1001 // xunit disposes the fields through IAsyncLifetime.DisposeAsync
public sealed class EndToEndTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly TempDirectory _dir = new();
    private readonly List<SyncClient> _clients = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        var model = _dir.Combine("objectbox-model.json");
        await File.WriteAllTextAsync(model, TestModels.Json);
        _server = new ServerFixture(model, _dir.Path, FreePort.Next());
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private SyncClient Client(string name, Uri? url = null, bool start = true)
    {
        var client = new SyncClient(TestModels.Options(_dir.Combine(name), url ?? _server.Url));
        _clients.Add(client);
        client.StateChanged += (_, state) => _log.Enqueue($"{name}: {state}");
        client.Disconnected += (_, e) => _log.Enqueue($"{name}: disconnected: {e.Reason}");
        client.LoginFailed += (_, e) => _log.Enqueue($"{name}: login failed: {e.Code} {e.Text}");
        client.TxRejected += (_, e) => _log.Enqueue($"{name}: TX {e.ClientTxId} rejected: {e.Code} {e.Text}");
        client.DataChanged += (_, e) => _log.Enqueue($"{name}: {e.Entity} put [{string.Join(",", e.PutIds)}] removed [{string.Join(",", e.RemovedIds)}]");
        if (start)
        {
            client.Start();
        }

        return client;
    }

    private static Dictionary<string, object?> Values(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    private async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, params SyncClient[] clients)
    {
        try
        {
            await Wait.UntilAsync(condition, what, timeout, clients);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- clients ---\n{string.Join('\n', _log)}\n--- server ---\n{_server.Process?.AllOutput}");
        }
    }

    private static async Task UploadedAsync(SyncClient client)
    {
        using var timeout = new CancellationTokenSource(Wait.DefaultTimeout);
        await client.WaitForUploadAsync(timeout.Token);
    }

    [Fact]
    public async Task Two_clients_converge_on_puts_updates_removes_toone_and_links()
    {
        await _server.StartAsync();
        var a = Client("a");
        var b = Client("b");
        var (aTasks, aProjects, aTags) = (a.Box("Task"), a.Box("Project"), a.Box("Tag"));

        var project = aProjects.Put(Values(("name", "Home")));
        var task = aTasks.Put(Values(("title", "Buy milk"), ("projectId", project), ("priority", 3)));
        var tag = aTags.Put(Values(("name", "errand")));
        a.Links("Task", "tags").Add(task, tag);
        await UploadedAsync(a);

        var bTasks = b.Box("Task");
        await UntilAsync(() => bTasks.Count() == 1 && b.Links("Task", "tags").Get(bTasks.GetAll()[0]["id"] is ulong id ? id : 0).Count == 1,
            "b has the task and its tag link", clients: b);
        var bTask = bTasks.GetAll()[0];
        var bTaskId = (ulong)bTask["id"]!;
        Assert.Equal("Buy milk", bTask["title"]);
        var bProject = b.Box("Project").Get((ulong)bTask["projectId"]!);
        Assert.Equal("Home", bProject!["name"]);
        var bTag = b.Box("Tag").Get(b.Links("Task", "tags").Get(bTaskId)[0]);
        Assert.Equal("errand", bTag!["name"]);

        // b edits and adds; a sees it with its own local IDs.
        b.Box("Task").Put(Values(("id", bTaskId), ("title", "Buy oat milk"), ("projectId", (ulong)bTask["projectId"]!)));
        var bTask2 = b.Box("Task").Put(Values(("title", "Walk the dog"), ("projectId", (ulong)bTask["projectId"]!)));
        b.Links("Task", "tags").Add(bTask2, b.Links("Task", "tags").Get(bTaskId)[0]);
        b.Links("Task", "tags").Remove(bTaskId, b.Links("Task", "tags").Get(bTaskId)[0]);
        await UploadedAsync(b);

        await UntilAsync(() => aTasks.Count() == 2 && (string?)aTasks.Get(task)!["title"] == "Buy oat milk"
            && a.Links("Task", "tags").Get(task).Count == 0 && a.Links("Task", "tags").GetBacklinks(tag).Count == 1,
            "a sees b's edit, new task and link changes", clients: a);
        var walk = aTasks.Query(t => (string?)t["title"] == "Walk the dog").Single();
        Assert.Equal(project, walk["projectId"]);
        Assert.Equal([(ulong)walk["id"]!], a.Links("Task", "tags").GetBacklinks(tag));

        // a removes; b sees it gone with its links.
        aTasks.Remove((ulong)walk["id"]!);
        await UploadedAsync(a);
        await UntilAsync(() => bTasks.Count() == 1, "b sees the remove", clients: b);
        Assert.Empty(b.Links("Task", "tags").Get(bTask2));
        Assert.Equal(0, a.OutboxCount + b.OutboxCount);
    }
}
