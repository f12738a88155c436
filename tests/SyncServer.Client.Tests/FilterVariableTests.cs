using System.Net.WebSockets;
using SyncServer.Client.Tests.Infrastructure;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Client.Tests;

/// <summary>Filter variables in LOGIN, <see cref="SyncClient.SetFilterVariables"/>, and the refusals of sync filters
/// (ERROR PermissionDenied, LOGIN_RESULT FilterVariableMissing), against the scripted fake server.</summary>
public sealed class FilterVariableTests
{
    private const uint Number = 3;
    private const ulong Foreign = 9UL << 40;
    private const ulong Own = (ulong)Number << 40;

    private static readonly Dictionary<string, FilterVariableValue> GreenTeam = new()
    {
        ["team"] = "green",
        ["groups"] = ["a", "b"],
        ["one"] = ["x"],
        ["none"] = [],
        ["blank"] = "",
    };

    [Fact]
    public async Task Without_filter_variables_LOGIN_is_protocol_version_1_and_with_them_version_2_carrying_each_one()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        await using (var plain = new SyncClient(Options(dir.Combine("plain"), server.Url)))
        {
            plain.Start();
            var login = await (await server.NextSessionAsync()).ReceiveAsync<LoginMessage>();
            Assert.Equal((1, 0), ((int)login.ProtocolVersion, login.Variables.Count));
            Assert.Null(login.FilterVariables); // decoded as version 1: nothing after the last position
        }

        await using var filtered = new SyncClient(Options(dir.Combine("filtered"), server.Url, GreenTeam));
        filtered.Start();
        var filteredLogin = await (await server.NextSessionAsync()).ReceiveAsync<LoginMessage>();

        Assert.Equal(2, (int)filteredLogin.ProtocolVersion);
        Assert.Equal(
            ["team=\"green\"", "groups=[a,b]", "one=[x]", "none=[]", "blank=\"\""],
            filteredLogin.Variables.Select(Describe));
    }

    [Fact]
    public async Task SetFilterVariables_before_Start_only_changes_what_the_first_login_sends()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        await using var client = new SyncClient(Options(dir.Path, server.Url, GreenTeam));

        client.SetFilterVariables(new Dictionary<string, FilterVariableValue> { ["team"] = "blue" });
        Assert.Equal("blue", Assert.Single(client.FilterVariables).Value.Values[0]);
        client.Start();

        var login = await (await server.NextSessionAsync()).ReceiveAsync<LoginMessage>();
        Assert.Equal(["team=\"blue\""], login.Variables.Select(Describe));
    }

    [Fact]
    public async Task SetFilterVariables_closes_the_connection_and_logs_in_with_the_new_ones_and_then_sends_the_queued_TX()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        await using var client = new SyncClient(Options(dir.Path, server.Url, new Dictionary<string, FilterVariableValue> { ["team"] = "green" }));
        var disconnects = new System.Collections.Concurrent.ConcurrentQueue<string>();
        client.Disconnected += (_, e) => disconnects.Enqueue(e.Reason);
        client.Start();
        var session = await LogInAsync(server);
        client.Box("Task").Put(new Dictionary<string, object?> { ["title"] = "queued" });
        Assert.Equal(1UL, (await session.ReceiveAsync<ApplyTxMessage>()).Tx.ClientTxId); // not ACKed: it stays queued

        // The same variables again change nothing: the session goes on.
        client.SetFilterVariables(new Dictionary<string, FilterVariableValue> { ["team"] = "green" });
        await session.SendAsync(new UpdatesCompleteMessage(5));
        Assert.Equal(5UL, (await session.ReceiveAsync<TxsAppliedMessage>()).Position);

        client.SetFilterVariables(new Dictionary<string, FilterVariableValue> { ["team"] = "blue", ["groups"] = ["x"] });

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await session.ReceiveCloseAsync()); // a close handshake, not a drop
        var next = await server.NextSessionAsync();
        var login = await next.ReceiveAsync<LoginMessage>();
        Assert.Equal((2, 5UL), ((int)login.ProtocolVersion, login.LastPosition));
        Assert.Equal(["team=\"blue\"", "groups=[x]"], login.Variables.Select(Describe));
        Assert.Equal(1, client.OutboxCount);

        await next.SendAsync(new LoginResultMessage(LoginResultCode.Ok, 0, Number, 1, 0, 5, ""));
        var resent = await next.ReceiveAsync<ApplyTxMessage>();
        Assert.Equal(1UL, resent.Tx.ClientTxId);
        Assert.Equal(Own | 1, Assert.IsType<PutOp>(Assert.Single(resent.Tx.Ops)).ObjectId);
        await next.SendAsync(new AckTxMessage(1, 6, AckStatus.Applied, 0));
        using var timeout = new CancellationTokenSource(Wait.DefaultTimeout);
        await client.WaitForUploadAsync(timeout.Token);

        Assert.Equal(["reconnecting (new filter variables)"], disconnects);
        Assert.Equal("blue", client.FilterVariables["team"].Values[0]);
    }

    [Fact]
    public async Task A_PermissionDenied_ERROR_drops_the_TX_and_reports_it_while_the_session_goes_on_applying_the_correction_and_sending_the_next_TX()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        await using var client = new SyncClient(Options(dir.Path, server.Url, maxTxsInFlight: 1));
        var disconnects = new System.Collections.Concurrent.ConcurrentQueue<string>();
        client.Disconnected += (_, e) => disconnects.Enqueue(e.Reason);
        client.Start();
        var session = await LogInAsync(server);
        var taskEntity = client.Model.FindEntity("Task")!;
        var theirs = ObjectCodec.Encode(taskEntity, new Dictionary<uint, object?> { [1] = Foreign | 5, [2] = "theirs" });
        await session.SendAsync(new TxsMessage(false, [EncodedTx.From(new ServerTx(1, 0, [new PutOp(TestModels.TaskId, Foreign | 5, theirs)]))]));
        await session.ReceiveAsync<TxsAppliedMessage>();

        // TX 1 changes the other owner's task and creates a tag; TX 2 waits behind it (one TX in flight at most).
        client.RunInTransaction(() =>
        {
            client.Box("Task").Put(new Dictionary<string, object?> { ["id"] = 1UL, ["title"] = "hijacked" });
            client.Box("Tag").Put(new Dictionary<string, object?> { ["name"] = "mine" });
        });
        client.Box("Project").Put(new Dictionary<string, object?> { ["name"] = "next" });
        Assert.Equal(1UL, (await session.ReceiveAsync<ApplyTxMessage>()).Tx.ClientTxId);

        const string reason = "operation 0: Task 9895604649989 is not visible to this client (sync filter \"ownerId == $auth.sub\")";
        var corrected = Wait.ForEventAsync<DataChangedEventArgs>(h => client.DataChanged += h, h => client.DataChanged -= h);
        var rejected = Wait.ForEventAsync<TxRejectedEventArgs>(h => client.TxRejected += h, h => client.TxRejected -= h, async () =>
        {
            await session.SendAsync(new ErrorMessage(ErrorCode.PermissionDenied, 1, reason));
            await session.SendAsync(new TxsMessage(false, [EncodedTx.From(new ServerTx(0, 0,
                [new PutOp(TestModels.TaskId, Foreign | 5, theirs), new RemoveOp(TestModels.TagId, Own | 1, 0)]))]));
        });

        var e = await rejected;
        Assert.Equal((1UL, ErrorCode.PermissionDenied, reason), (e.ClientTxId, e.Code, e.Text));
        var next = await session.ReceiveAsync<ApplyTxMessage>(); // the same session, with the TX that waited
        Assert.Equal(2UL, next.Tx.ClientTxId);
        await corrected;
        await Wait.UntilAsync(() => client.Box("Tag").Count() == 0, "the correction removes the tag the server refused", clients: client);
        Assert.Equal("theirs", client.Box("Task").Get(1)!["title"]);
        Assert.Equal(1UL, client.Position); // a correction does not move the position
        Assert.Equal(1, client.OutboxCount); // TX 2 only
        Assert.Equal(SyncState.LoggedIn, client.State);
        Assert.Empty(disconnects);
    }

    [Fact]
    public async Task A_login_refused_for_a_missing_filter_variable_is_reported_with_the_servers_text_and_waits_until_SetFilterVariables()
    {
        using var dir = new TempDirectory();
        await using var server = new FakeSyncServer();
        await using var client = new SyncClient(Options(dir.Path, server.Url, reconnectDelay: TimeSpan.FromMinutes(10)));
        client.Start();
        var session = await server.NextSessionAsync();
        Assert.Empty((await session.ReceiveAsync<LoginMessage>()).Variables);
        const string text = "the sync filter of entity Task needs $client.team, which this login does not have";

        var failed = await Wait.ForEventAsync<LoginFailedEventArgs>(h => client.LoginFailed += h, h => client.LoginFailed -= h,
            () => session.SendAsync(new LoginResultMessage(LoginResultCode.FilterVariableMissing, 0, 0, 0, 0, 0, text)));

        Assert.Equal((LoginResultCode.FilterVariableMissing, text), (failed.Code, failed.Text));
        Assert.Equal(SyncState.Disconnected, client.State); // not Dead: new variables can log in
        client.SetFilterVariables(new Dictionary<string, FilterVariableValue> { ["team"] = "green" });
        var next = await server.NextSessionAsync(); // at once, not after the 10 minutes of backoff
        Assert.Equal(["team=\"green\""], (await next.ReceiveAsync<LoginMessage>()).Variables.Select(Describe));
    }

    public static TheoryData<string, Dictionary<string, FilterVariableValue>> BadVariables => new()
    {
        { "A filter variable's name is empty.", new() { [""] = "x" } },
        { $"Filter variable '{new string('é', 33)}': the name is 66 bytes of UTF-8; at most 64.", new() { [new string('é', 33)] = "x" } },
        { "Filter variable 'team' has no value (null).", new() { ["team"] = null! } },
        { "Filter variable 'team': the value is null.", new() { ["team"] = FilterVariableValue.Of(null!) } },
        { "Filter variable 'groups': value 2 is null.", new() { ["groups"] = ["a", null!] } },
        { "Filter variable 'groups' has 1025 values; at most 1024.", new() { ["groups"] = FilterVariableValue.List(Enumerable.Range(0, 1025).Select(i => $"g{i}")) } },
        { "Filter variable 'team': the value is not valid Unicode (a lone surrogate).", new() { ["team"] = "\ud800" } },
        { "65 filter variables; at most 64.", Enumerable.Range(0, 65).ToDictionary(i => $"v{i}", _ => FilterVariableValue.Of("x")) },
    };

    [Theory]
    [MemberData(nameof(BadVariables))]
    public async Task Filter_variables_over_a_limit_are_refused_with_a_message_naming_the_variable_before_anything_is_written(
        string expected, Dictionary<string, FilterVariableValue> variables)
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("data");

        var e = Assert.Throws<ArgumentException>(() => new SyncClient(Options(data, new Uri("ws://127.0.0.1:1/"), variables)));
        Assert.Equal((expected + " (Parameter 'options.FilterVariables')", "options.FilterVariables"), (e.Message, e.ParamName));
        Assert.False(Directory.Exists(data));

        await using var client = new SyncClient(Options(data, new Uri("ws://127.0.0.1:1/"), GreenTeam));
        var later = Assert.Throws<ArgumentException>(() => client.SetFilterVariables(variables));
        Assert.Equal((expected, "variables"), (later.Message.Replace(" (Parameter 'variables')", "", StringComparison.Ordinal), later.ParamName));
        Assert.Equal(GreenTeam.Keys, client.FilterVariables.Keys); // unchanged
    }

    [Fact]
    public void A_value_is_one_string_or_a_list_and_compares_and_prints_as_such()
    {
        FilterVariableValue one = "a";
        FilterVariableValue list = ["a"];

        Assert.Equal((false, true), (one.IsList, list.IsList));
        Assert.NotEqual(one, list);
        Assert.Equal(list, FilterVariableValue.List("a"));
        Assert.Equal(list.GetHashCode(), FilterVariableValue.List(new List<string> { "a" }).GetHashCode());
        Assert.Equal(("\"a\"", "[\"a\", \"b\"]", "[]"), (one.ToString(), FilterVariableValue.List("a", "b").ToString(), FilterVariableValue.List().ToString()));
    }

    private static SyncClientOptions Options(
        string directory, Uri server, IReadOnlyDictionary<string, FilterVariableValue>? variables = null, int maxTxsInFlight = 1000, TimeSpan? reconnectDelay = null) => new()
    {
        ModelJson = TestModels.Json,
        DataDirectory = directory,
        ServerUrls = [server],
        ReconnectDelays = [reconnectDelay ?? TimeSpan.FromMilliseconds(100)],
        MaxTxsInFlight = maxTxsInFlight,
        FilterVariables = variables ?? new Dictionary<string, FilterVariableValue>(),
    };

    private static async Task<FakeSession> LogInAsync(FakeSyncServer server)
    {
        var session = await server.NextSessionAsync();
        await session.ReceiveAsync<LoginMessage>();
        await session.SendAsync(new LoginResultMessage(LoginResultCode.Ok, 0, Number, 1, 0, 0, ""));
        return session;
    }

    private static string Describe(FilterVariable variable) =>
        variable.IsList ? $"{variable.Name}=[{string.Join(',', variable.Values)}]" : $"{variable.Name}=\"{variable.Values[0]}\"";
}
