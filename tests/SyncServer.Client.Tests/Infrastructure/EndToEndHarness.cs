using System.Collections.Concurrent;

namespace SyncServer.Client.Tests.Infrastructure;

/// <summary>
/// What an end-to-end test needs: a temp directory, the real server on <see cref="ModelJson"/> (not started yet), clients
/// in sub-directories that log their events, and waits that fail with those logs and the server's output.
/// Disposes the clients, the server and the directory. One per test, not thread-safe.
/// </summary>
internal sealed class EndToEndHarness : IAsyncDisposable
{
    private readonly List<SyncClient> _clients = [];
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Dictionary<string, SyncCredentials> _credentials = [];
    private int _freshClients;

    public EndToEndHarness(string modelJson, params string[] serverArguments)
    {
        ModelJson = modelJson;
        ModelPath = Directory.Combine("objectbox-model.json");
        File.WriteAllText(ModelPath, modelJson);
        Server = new ServerFixture(ModelPath, Directory.Path, FreePort.Next(), serverArguments);
    }

    public TempDirectory Directory { get; } = new();

    public string ModelJson { get; }

    public string ModelPath { get; }

    public ServerFixture Server { get; }

    /// <summary>Client events so far, one line each ("a: LoggedIn").</summary>
    public IReadOnlyCollection<string> Log => _log;

    /// <summary>A client named <paramref name="name"/> with its data in the sub-directory of that name.</summary>
    /// <param name="credentials">How it logs in (kept for the same name: <see cref="OfflineAsync"/> reopens with them);
    /// none by default.</param>
    public SyncClient Client(string name, Uri? url = null, bool start = true, string? modelJson = null, SyncCredentials? credentials = null)
    {
        if (credentials is not null)
        {
            _credentials[name] = credentials;
        }

        var client = new SyncClient(new SyncClientOptions
        {
            ModelJson = modelJson ?? ModelJson,
            DataDirectory = Directory.Combine(name),
            ServerUrls = [url ?? Server.Url],
            ReconnectDelays = [TimeSpan.FromMilliseconds(100)],
            Credentials = _credentials.GetValueOrDefault(name) ?? SyncCredentials.None,
        });
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

    /// <summary>A started client that has finished its first catch-up with the server.</summary>
    public async Task<SyncClient> CaughtUpClientAsync(string name, SyncCredentials? credentials = null)
    {
        var client = Client(name, start: false, credentials: credentials);
        var caughtUp = UpdatesCompletedAsync(client);
        client.Start();
        await caughtUp;
        return client;
    }

    /// <summary>A new client on a fresh directory after its full sync: what the server holds now.</summary>
    public Task<SyncClient> ServerViewAsync() => CaughtUpClientAsync($"fresh-{++_freshClients}");

    /// <summary>Disposes <paramref name="client"/> (its connection ends) and opens its directory again, not started:
    /// the same installation, offline until <see cref="SyncClient.Start"/>.</summary>
    public async Task<SyncClient> OfflineAsync(SyncClient client, string name, SyncCredentials? credentials = null)
    {
        await client.DisposeAsync();
        _clients.Remove(client);
        return Client(name, start: false, credentials: credentials);
    }

    public async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, params SyncClient[] clients)
    {
        try
        {
            await Wait.UntilAsync(condition, what, timeout, clients);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- clients ---\n{string.Join('\n', _log)}\n--- server ---\n{Server.Process?.AllOutput}");
        }
    }

    public static Task UpdatesCompletedAsync(SyncClient client)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.UpdatesCompleted += (_, _) => done.TrySetResult();
        return done.Task.WaitAsync(Wait.DefaultTimeout);
    }

    public static async Task UploadedAsync(SyncClient client)
    {
        using var timeout = new CancellationTokenSource(Wait.DefaultTimeout);
        await client.WaitForUploadAsync(timeout.Token);
    }

    public static Dictionary<string, object?> Values(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await Server.DisposeAsync();
        Directory.Dispose();
    }
}
