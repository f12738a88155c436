using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Hosting;
using SyncServer.Engine.Sync;
using SyncServer.Engine.Tests.Sync.Sessions;
using SyncServer.Tests.TestSupport;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Filters;

/// <summary>
/// Real sessions over loopback WebSockets with sync filters: a client on an older schema version is filtered like the
/// others and served in its own terms; a protocol-version-1 LOGIN (no filter variables) gets the defaults.
/// </summary>
public sealed class FilteredSessionTests : IAsyncLifetime, IDisposable
{
    private const string Filter = "notes == ${client.owner ?? \"nobody\"}";
    private readonly TempDirectory _temp = new();
    private readonly List<Task> _running = [];
    private ObjectBoxModel _old = null!;
    private SessionEngine _host = null!;
    private ulong _serverTxId;

    public async Task InitializeAsync()
    {
        // Version 1 is the example model; version 2 adds Task.estimate. Both accept clients.
        _old = ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel));
        var newer = ModelJson.Example();
        newer.AddProperty("Task", "estimate", PropertyType.Int);
        var newerFile = _temp.Combine("newer.json");
        await File.WriteAllTextAsync(newerFile, newer.ToJsonString());
        await using (SessionEngine.Start(Options(TestPaths.ExampleModel)))
        {
        }

        _host = SessionEngine.Start(Options(newerFile));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_client_on_the_older_schema_version_gets_only_its_objects_in_its_own_terms()
    {
        var client = await LoginAsync(2, _old, [FilterVariable.Of("owner", "alice")]);

        await PutTaskAsync("bob", "not for alice");
        await PutTaskAsync("alice", "for alice");

        var txs = await client.ExpectAsync<TxsMessage>();
        var put = Assert.IsType<PutOp>(Assert.Single(Assert.Single(txs.Txs).DecodeOps()));
        var task = _old.FindEntity("Task")!;
        var values = ObjectCodec.Decode(task, put.Data.Span);
        Assert.Equal("for alice", values[task.FindProperty("title")!.Id.Id]);
        Assert.DoesNotContain(values.Keys, id => task.FindProperty(id) is null); // no Task.estimate: re-encoded in version 1's terms
        Assert.Equal(2UL, txs.Txs.Single().Position); // position 1 (bob's) was not sent at all
    }

    [Fact]
    public async Task A_version_1_login_has_no_variables_and_the_filters_use_their_defaults()
    {
        var current = _host.Engine.Schema.Current!.Model;
        var client = await LoginAsync(1, current, null);

        await PutTaskAsync("alice", "private");
        await PutTaskAsync("nobody", "for everyone without a name");

        var txs = await client.ExpectAsync<TxsMessage>();
        var put = Assert.IsType<PutOp>(Assert.Single(Assert.Single(txs.Txs).DecodeOps()));
        var task = current.FindEntity("Task")!;
        Assert.Equal("for everyone without a name", ObjectCodec.Decode(task, put.Data.Span)[task.FindProperty("title")!.Id.Id]);
    }

    private SyncEngineOptions Options(string model) => new()
    {
        DataDirectory = _temp.Combine("data"),
        ModelFile = model,
        UnsecuredNoAuthentication = true,
        SyncFilters = new Dictionary<string, string> { ["Task"] = Filter },
    };

    private async Task<RawSyncClient> LoginAsync(ushort protocolVersion, ObjectBoxModel model, IReadOnlyList<FilterVariable>? variables)
    {
        var client = await RawSyncClient.LoopbackAsync();
        _running.Add(_host.Sessions.RunAsync(client.ServerSide!, "203.0.113.9:1", CancellationToken.None));
        await client.SendAsync(new LoginMessage(protocolVersion, Guid.NewGuid().ToByteArray(), CredentialType.None, [],
            Convert.FromHexString(model.Hash), RequestUpdatesMode.Auto, 0, variables));
        Assert.Equal(LoginResultCode.Ok, (await client.ExpectAsync<LoginResultMessage>()).Code);
        await client.ReceiveUntilAsync<UpdatesCompleteMessage>();
        return client;
    }

    private async Task PutTaskAsync(string owner, string title)
    {
        var model = _host.Engine.Schema.Current!.Model;
        var id = Interlocked.Increment(ref _serverTxId);
        var put = Put(model, "Task", id, ("notes", owner), ("title", title), ("estimate", 5));
        var outcome = await _host.Engine.Services.Writer.SubmitAsync(new TxSubmission(0, new ClientTx(id, [put]), model), CancellationToken.None);
        Assert.Equal(TxStatus.Applied, outcome.Status);
    }
}
