using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SyncServer.Client.Tests.Infrastructure;
using SyncServer.Core.Protocol;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Client.Tests;

/// <summary>
/// The SDK against the real server over wss:// with a certificate the test generates and a shared secret: trusted
/// certificates, the challenge-based secret, and new credentials while running without losing queued TXs.
/// </summary>
#pragma warning disable CA1001 // xunit disposes the fields through IAsyncLifetime.DisposeAsync
public sealed class TlsAuthEndToEndTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string Secret = "client-e2e-secret-0123456789";
    private readonly TempDirectory _dir = new();
    private readonly List<SyncClient> _clients = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private ServerProcess _server = null!;
    private X509Certificate2 _certificate = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        var model = _dir.Combine("objectbox-model.json");
        await File.WriteAllTextAsync(model, TestModels.Json);
        _certificate = TestCertificate.CreatePemFiles(_dir.Combine("tls"));
        var config = _dir.Combine("sync-server-config.json");
        await File.WriteAllTextAsync(config, $$"""{ "auth": { "sharedSecret": "{{Secret}}" } }""");
        var port = FreePort.Next();
        _url = new Uri($"wss://127.0.0.1:{port}/");
        _server = await ServerProcess.StartAndWaitAsync(_dir.Path, "--model", model, "-c", config, "-d", _dir.Combine("server"),
            "--cert", _dir.Combine("tls"), "--bind", $"wss://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await _server.DisposeAsync();
        _certificate.Dispose();
        _dir.Dispose();
    }

    private SyncClient Client(string name, SyncCredentials credentials, bool trust = true)
    {
        var options = TestModels.Options(_dir.Combine(name), _url);
        var client = new SyncClient(new SyncClientOptions
        {
            ModelJson = options.ModelJson, DataDirectory = options.DataDirectory, ServerUrls = options.ServerUrls,
            ReconnectDelays = options.ReconnectDelays, Credentials = credentials,
            TrustedCertificates = trust ? SyncClientOptions.LoadCertificates(_dir.Combine("tls", "cert.pem")) : [],
        });
        _clients.Add(client);
        client.StateChanged += (_, state) => _log.Enqueue($"{name}: {state}");
        client.Disconnected += (_, e) => _log.Enqueue($"{name}: disconnected: {e.Reason}");
        client.LoginFailed += (_, e) => _log.Enqueue($"{name}: login failed: {e.Code} {e.Text}");
        return client;
    }

    private async Task UntilAsync(Func<bool> condition, string what, params SyncClient[] clients)
    {
        try
        {
            await Wait.UntilAsync(condition, what, null, clients);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- clients ---\n{string.Join('\n', _log)}\n--- server ---\n{_server.AllOutput}");
        }
    }

    [Fact]
    public async Task New_credentials_while_running_log_in_again_and_the_queued_TXs_are_uploaded_over_wss()
    {
        var phone = Client("phone", SyncCredentials.SharedSecret("wrong secret"));
        var refused = Wait.ForEventAsync<LoginFailedEventArgs>(h => phone.LoginFailed += h, h => phone.LoginFailed -= h, () =>
        {
            phone.Start();
            return Task.CompletedTask;
        });
        Assert.Equal(LoginResultCode.CredentialsRejected, (await refused).Code);

        // Written while the login is refused: queued in the outbox.
        var first = phone.Box("Project").Put(new Dictionary<string, object?> { ["name"] = "queued 1" });
        var second = phone.Box("Project").Put(new Dictionary<string, object?> { ["name"] = "queued 2" });
        Assert.NotEqual(SyncState.LoggedIn, phone.State);
        Assert.Equal(2, phone.OutboxCount);

        phone.SetCredentials(SyncCredentials.SharedSecret(Secret));
        using (var timeout = new CancellationTokenSource(Wait.DefaultTimeout))
        {
            await phone.WaitForUploadAsync(timeout.Token);
        }

        Assert.Equal(0, phone.OutboxCount);

        var laptop = Client("laptop", SyncCredentials.SharedSecret(Secret));
        laptop.Start();
        await UntilAsync(() => laptop.Box("Project").Count() == 2, "the laptop has both queued projects", phone, laptop);
        Assert.Equal(["queued 1", "queued 2"], laptop.Box("Project").GetAll().Select(p => (string)p["name"]!).Order());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Without_the_certificate_among_the_trusted_ones_the_client_does_not_connect()
    {
        var client = Client("untrusting", SyncCredentials.SharedSecret(Secret), trust: false);
        var disconnected = Wait.ForEventAsync<DisconnectedEventArgs>(h => client.Disconnected += h, h => client.Disconnected -= h, () =>
        {
            client.Start();
            return Task.CompletedTask;
        });

        var disconnect = await disconnected;

        Assert.NotEqual(SyncState.LoggedIn, client.State);
        Assert.Contains("SSL", disconnect.Reason, StringComparison.OrdinalIgnoreCase);
        var failure = disconnect.Exception;
        while (failure is not null and not AuthenticationException)
        {
            failure = failure.InnerException;
        }

        Assert.NotNull(failure); // what sync-client looks for to say "not trusted" at once

    }
}
