using SyncServer.Client.Tests.Infrastructure;

namespace SyncServer.Client.Tests;

/// <summary>Clients against the real sync-server process on loopback.</summary>
#pragma warning disable CA1001 // xunit disposes the fields through IAsyncLifetime.DisposeAsync
public sealed class EndToEndTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly EndToEndHarness _e2e = new(TestModels.Json);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _e2e.DisposeAsync();

    private SyncClient Client(string name, Uri? url = null, bool start = true, string? modelJson = null) =>
        _e2e.Client(name, url, start, modelJson);

    private static Dictionary<string, object?> Values(params (string Name, object? Value)[] values) => EndToEndHarness.Values(values);

    private Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, params SyncClient[] clients) =>
        _e2e.UntilAsync(condition, what, timeout, clients);

    private static Task UpdatesCompletedAsync(SyncClient client) => EndToEndHarness.UpdatesCompletedAsync(client);

    private static Task UploadedAsync(SyncClient client) => EndToEndHarness.UploadedAsync(client);

    /// <summary>The server's debug line for the next session that ends with a close handshake or a drop.</summary>
    private static Task<string> SessionEndLoggedAsync(EndToEndHarness e2e) => e2e.Server.Process!.WaitForLineAsync(
        new System.Text.RegularExpressions.Regex(@"\[DEBUG\] .*Connection from \S+ \(client \d+\) closed: "), TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Stopping_a_client_closes_its_connection_with_a_close_handshake_not_a_dropped_connection()
    {
        await using var e2e = new EndToEndHarness(TestModels.Json, "--log-level", "debug");
        await e2e.Server.StartAsync();
        var client = e2e.Client("stopper");
        await EndToEndHarness.UpdatesCompletedAsync(client);
        var reasons = new List<string>();
        client.Disconnected += (_, e) => reasons.Add(e.Reason);

        await client.StopAsync();

        // The server logs each session's end at debug: a normal close (1000), not "aborted" (which counts as a failure).
        Assert.Contains("closed: NormalClosure", await SessionEndLoggedAsync(e2e), StringComparison.Ordinal);
        Assert.DoesNotContain(e2e.Server.Process!.Output, l => l.Contains(") failed: ", StringComparison.Ordinal));
        Assert.Equal(["stopped"], reasons);
        Assert.Equal(SyncState.Stopped, client.State);
    }

    [Fact]
    public async Task SetFilterVariables_ends_the_session_with_a_close_handshake_and_the_server_takes_the_version_2_login_and_the_queued_TX()
    {
        await using var e2e = new EndToEndHarness(TestModels.Json, "--log-level", "debug");
        await e2e.Server.StartAsync();
        var client = e2e.Client("filtered");
        await EndToEndHarness.UpdatesCompletedAsync(client);
        var reasons = new System.Collections.Concurrent.ConcurrentQueue<string>();
        client.Disconnected += (_, e) => reasons.Enqueue(e.Reason);

        client.Box("Task").Put(Values(("title", "across the reconnect")));
        client.SetFilterVariables(new Dictionary<string, FilterVariableValue> { ["team"] = "green", ["groups"] = ["a", "b"] });

        Assert.Contains("closed: NormalClosure", await SessionEndLoggedAsync(e2e), StringComparison.Ordinal);
        await e2e.UntilAsync(() => client.State == SyncState.LoggedIn && reasons.Count == 1, "logged in again", clients: client);
        await EndToEndHarness.UploadedAsync(client);
        Assert.Equal(["reconnecting (new filter variables)"], reasons);
        Assert.DoesNotContain(e2e.Server.Process!.Output, l => l.Contains(") failed: ", StringComparison.Ordinal));
        var view = await e2e.ServerViewAsync();
        Assert.Equal("across the reconnect", Assert.Single(view.Box("Task").GetAll())["title"]);
    }

    [Fact]
    public async Task Two_clients_converge_on_puts_updates_removes_toone_and_links()
    {
        await _e2e.Server.StartAsync();
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

    [Fact]
    public async Task Every_property_type_of_a_real_model_round_trips_bit_exact()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.ModelsDirectory, "objectbox_objectbox-c.json")))!;
        foreach (var entity in json["entities"]!.AsArray())
        {
            entity!["flags"] = 2; // SYNC_ENABLED
        }

        var modelJson = json.ToJsonString();
        var modelPath = _e2e.Directory.Combine("typeful-model.json");
        await File.WriteAllTextAsync(modelPath, modelJson);
        await using var server = new ServerFixture(modelPath, _e2e.Directory.Combine("typeful"), FreePort.Next());
        Directory.CreateDirectory(_e2e.Directory.Combine("typeful"));
        await server.StartAsync();
        var a = Client("ta", server.Url, modelJson: modelJson);
        var b = Client("tb", server.Url, modelJson: modelJson);
        var nan = BitConverter.Int32BitsToSingle(0x7FC0_1234); // a NaN with a payload
        var values = new Dictionary<string, object?>
        {
            ["int"] = int.MinValue, ["int8"] = sbyte.MinValue, ["int16"] = short.MinValue, ["int32"] = int.MaxValue,
            ["int64"] = long.MinValue, ["uint"] = uint.MaxValue, ["uint8"] = byte.MaxValue, ["uint16"] = ushort.MaxValue,
            ["uint32"] = uint.MaxValue - 1, ["uint64"] = ulong.MaxValue, ["bool"] = true, ["string"] = "grüße \u0000 🙂",
            ["stringvector"] = new[] { "", "a", "ß🙂" }, ["byte"] = (sbyte)-1, ["ubyte"] = (byte)200,
            ["bytevector"] = new byte[] { 0, 1, 255 }, ["ubytevector"] = Array.Empty<byte>(), ["float32"] = nan,
            ["float64"] = BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF), ["float"] = -0.0f, ["double"] = double.Epsilon,
        };
        var bars = a.Box("Bar");
        var id = a.Box("Typeful").Put(values);
        bars.Put(new Dictionary<string, object?> { ["text"] = "bar", ["fooId"] = ulong.MaxValue });
        await UploadedAsync(a);

        await UntilAsync(() => b.Box("Typeful").Count() == 1 && b.Box("Bar").Count() == 1, "b has the objects", clients: b);
        var received = b.Box("Typeful").GetAll().Single();
        foreach (var (name, expected) in values)
        {
            var actual = received[name];
            switch (expected)
            {
                case float f:
                    Assert.Equal(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits((float)actual!));
                    break;
                case double d:
                    Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actual!));
                    break;
                case System.Collections.IEnumerable list and not string:
                    Assert.Equal(list.Cast<object>(), ((System.Collections.IEnumerable)actual!).Cast<object>());
                    break;
                default:
                    Assert.Equal(expected, actual);
                    Assert.Equal(expected!.GetType(), actual!.GetType());
                    break;
            }
        }

        Assert.Equal(ulong.MaxValue, b.Box("Bar").GetAll().Single()["fooId"]);
        Assert.Equal(1UL, id);
    }

    [Fact]
    public async Task Writes_made_while_the_server_is_down_arrive_at_another_client_once_it_starts()
    {
        var a = Client("a");
        var tasks = a.Box("Task");
        var project = a.Box("Project").Put(Values(("name", "Offline")));
        for (var i = 0; i < 3; i++)
        {
            tasks.Put(Values(("title", $"offline {i}"), ("projectId", project)));
        }

        await UntilAsync(() => _e2e.Log.Any(l => l.StartsWith("a: disconnected", StringComparison.Ordinal)), "a failed to connect once", clients: a);
        Assert.NotEqual(SyncState.LoggedIn, a.State);
        Assert.Equal(4, a.OutboxCount);

        await _e2e.Server.StartAsync();
        await UploadedAsync(a);
        var b = Client("b");
        await UntilAsync(() => b.Box("Task").Count() == 3, "b has the offline writes", clients: b);
        var bProject = b.Box("Project").GetAll().Single();
        Assert.All(b.Box("Task").GetAll(), t => Assert.Equal(bProject["id"], t["projectId"]));
    }

    [Fact]
    public async Task A_connection_dropped_between_APPLY_TX_and_its_ACK_applies_the_TX_exactly_once()
    {
        await _e2e.Server.StartAsync();
        await using var proxy = new TcpProxy(_e2e.Server.Url.Port);
        var a = Client("a", proxy.Url, start: false);
        var ready = UpdatesCompletedAsync(a);
        a.Start();
        await ready;

        proxy.DropBeforeNextServerBytes();
        a.Box("Task").Put(Values(("title", "exactly once")));
        await proxy.Dropped.WaitAsync(Wait.DefaultTimeout);
        await UploadedAsync(a); // after the reconnect: TX 1 is resent and ACKed as a duplicate, not applied again

        var b = Client("b", start: false);
        var bCaughtUp = UpdatesCompletedAsync(b);
        b.Start();
        await bCaughtUp; // full sync and catch-up done: b's position is the server's head
        Assert.Equal(1, b.Box("Task").Count());
        Assert.Equal(1UL, b.Position); // one TX logged on the server, not two
        Assert.Equal(0, a.OutboxCount);
        Assert.Contains(_e2e.Log, l => l.StartsWith("a: disconnected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_SIGKILL_during_a_stream_of_TXs_no_ACKed_TX_is_missing_and_clients_converge()
    {
        const int Count = 300;
        await _e2e.Server.StartAsync();
        var a = Client("a");
        var acked = new System.Collections.Concurrent.ConcurrentBag<ulong>();
        var enoughAcked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.TxAcknowledged += (_, txId) =>
        {
            acked.Add(txId);
            if (acked.Count >= 50)
            {
                enoughAcked.TrySetResult();
            }
        };

        var writer = Task.Run(() =>
        {
            for (var i = 1; i <= Count; i++)
            {
                a.Box("Task").Put(Values(("title", $"task {i}"), ("priority", i)));
            }
        });
        await enoughAcked.Task.WaitAsync(Wait.DefaultTimeout);
        await _e2e.Server.KillAsync();
        var ackedBeforeKill = acked.ToHashSet();
        await writer;

        await _e2e.Server.StartAsync();
        await UploadedAsync(a);
        var b = Client("b");
        await UntilAsync(() => b.Box("Task").Count() == Count, $"b has all {Count} tasks", clients: b);

        var priorities = b.Box("Task").GetAll().Select(t => (int)t["priority"]!).ToHashSet();
        Assert.Equal(Count, priorities.Count);
        Assert.All(ackedBeforeKill, txId => Assert.Contains((int)txId, priorities)); // TX n wrote task n
        Assert.Equal(
            a.Box("Task").GetAll().Select(t => ((string?)t["title"], (int)t["priority"]!)).Order(),
            b.Box("Task").GetAll().Select(t => ((string?)t["title"], (int)t["priority"]!)).Order());
    }

    [Fact]
    public async Task A_client_offline_while_10000_TXs_happen_catches_up()
    {
        const int Count = 10_000;
        await _e2e.Server.StartAsync();
        var a = Client("a");
        var tasks = a.Box("Task");
        tasks.Put(Values(("title", "before"), ("priority", -1)));
        await UploadedAsync(a);

        // b has synced position 1, then goes offline: what it misses comes as a catch-up from the log, not a full sync.
        var b = Client("b");
        await UntilAsync(() => b.Position == 1 && b.Box("Task").Count() == 1, "b is at position 1", clients: b);
        var b2 = await _e2e.OfflineAsync(b, "b");

        for (var i = 0; i < Count; i++)
        {
            tasks.Put(Values(("title", $"t{i}"), ("priority", i)));
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await a.WaitForUploadAsync(timeout.Token);
        }

        Assert.Equal(1UL, b2.Position);
        b2.Start();
        await UntilAsync(() => b2.Position == Count + 1 && b2.Box("Task").Count() == Count + 1, $"b has all {Count} new tasks", TimeSpan.FromMinutes(3), b2);
        Assert.Equal(Enumerable.Range(-1, Count + 1), b2.Box("Task").GetAll().Select(t => Convert.ToInt32(t["priority"], System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

}
