using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Browser.Tests;

/// <summary>
/// A real sync-server for one test class with a sync filter on Task (<see cref="TaskFilter"/>, set the way an operator
/// would, in the environment), and two raw sync clients that stay connected: alice and bob, each logged in with its
/// <c>owner</c> filter variable (protocol version 2), each having put one Task of its own (notes = owner, priority 1).
/// They send HEARTBEAT every 25 s as the SDK does, so the server keeps them connected (it closes a client silent for 90 s)
/// however long the browser tests take.
/// </summary>
public sealed class FilteredServerFixture : IAsyncLifetime, IDisposable
{
    public const string AdminUser = "filters";
    public const string AdminPassword = "Filters-pass-1";
    public const string TaskFilter = "notes == ${client.owner ?? \"nobody\"} OR priority > 2";

    private readonly TempDirectory _dir = new();
    private readonly List<RawSyncClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _heartbeats = Task.CompletedTask;

    internal ServerProcess Server { get; private set; } = null!;

    public uint Alice { get; private set; }

    public uint Bob { get; private set; }

    public ulong AliceTask { get; private set; }

    public ulong BobTask { get; private set; }

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAndWaitAsync(
            _dir.Path,
            new Dictionary<string, string>
            {
                ["SYNCSERVER_ADMIN_USER"] = AdminUser,
                ["SYNCSERVER_ADMIN_PASSWORD"] = AdminPassword,
                ["SyncFilters__Task"] = TaskFilter,
            },
            "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");
        var model = ModelJsonReader.Read(await File.ReadAllTextAsync(TestPaths.ExampleModel));
        (Alice, AliceTask) = await PutOwnTaskAsync(model, "alice");
        (Bob, BobTask) = await PutOwnTaskAsync(model, "bob");
        _heartbeats = SendHeartbeatsAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeats;
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await Server.DisposeAsync();
    }

    /// <summary>After <see cref="DisposeAsync"/>: the server has released the directory.</summary>
    public void Dispose()
    {
        _stop.Dispose();
        _dir.Dispose();
    }

    private async Task SendHeartbeatsAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(25));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                foreach (var client in _clients)
                {
                    await client.SendAsync(new HeartbeatMessage(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The fixture ends.
        }
    }

    // Logs a client in with owner = <owner> and puts one Task it may write (its notes are its owner); its number and the
    // task's ID.
    private async Task<(uint Client, ulong Task)> PutOwnTaskAsync(ObjectBoxModel model, string owner)
    {
        var client = await RawSyncClient.ConnectAsync(Server.SyncPort);
        _clients.Add(client);
        await client.SendAsync(new LoginMessage(MessageCodec.ProtocolVersion, client.ClientId, CredentialType.None, [],
            Convert.FromHexString(model.Hash), RequestUpdatesMode.Auto, 0, [FilterVariable.Of("owner", owner)]));
        var login = await client.ExpectAsync<LoginResultMessage>();
        Assert.Equal(LoginResultCode.Ok, login.Code);
        await client.ReceiveUntilAsync<UpdatesCompleteMessage>();

        var task = model.FindEntity("Task")!;
        var id = ((ulong)login.ClientNumber << 40) | 1;
        var values = new Dictionary<uint, object?> { [1] = id, [2] = $"{owner}'s task", [3] = owner, [5] = 1 };
        await client.SendAsync(new ApplyTxMessage(new ClientTx(1, [new PutOp(task.Id.Id, id, ObjectCodec.Encode(task, values))])));
        await client.ExpectAsync<AckTxMessage>();
        return (login.ClientNumber, id);
    }
}
