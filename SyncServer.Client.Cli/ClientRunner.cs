using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;

namespace SyncServer.Client.Cli;

/// <summary>Runs one sync-client command: opens the client, talks to the server within the timeout, prints JSON to
/// <c>output</c> and everything else to <c>errors</c>. A refused login or an untrusted server certificate ends the wait
/// at once (exit code 1). One per invocation, not thread-safe except for its output lock.</summary>
internal sealed class ClientRunner(
    string[] servers,
    Func<ClientLogin> readLogin,
    IReadOnlyDictionary<string, FilterVariableValue> filterVariables,
    FileInfo model,
    DirectoryInfo directory,
    TimeSpan timeout,
    TextWriter output,
    TextWriter errors,
    CancellationToken token)
{
    private const int Ok = 0;
    private const int Failed = 1;
    private static readonly JsonWriterOptions Indented = new() { Indented = true };
    private readonly Lock _outputLock = new();

    /// <summary>Set (with the message) when no waiting can help: the login was refused, or no server's certificate is trusted.</summary>
    private readonly TaskCompletionSource<string> _hopeless = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Servers whose TLS handshake failed; touched only by the client's background task (its Disconnected event).</summary>
    private readonly HashSet<Uri> _tlsFailed = [];

    /// <summary>TXs the server refused during this run (the client's TxRejected event).</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<TxRejectedEventArgs> _rejected = new();

    private bool _trustsExtraCertificates;

    private enum Outcome
    {
        Done,
        TimedOut,
        Hopeless,
    }

    public Task<int> PutAsync(string entity, string json) => WithClientAsync(catchUp: false, async client =>
    {
        var box = client.Box(entity);
        var modelEntity = client.Model.FindEntity(box.EntityName)!;
        Dictionary<uint, object?> values;
        try
        {
            using var document = JsonDocument.Parse(json);
            values = ObjectJson.Read(modelEntity, document.RootElement);
        }
        catch (JsonException e)
        {
            errors.WriteLine($"The JSON for {box.EntityName} is malformed: {e.Message}");
            return Failed;
        }

        var id = box.PutValues(values);
        if (!await ReportUploadAsync(client, $"{box.EntityName} {id}").ConfigureAwait(false))
        {
            return Failed;
        }

        WriteObject(modelEntity, box.GetValues(id)!, Indented);
        return Ok;
    });

    public Task<int> GetAsync(string entity, ulong id) => WithClientAsync(catchUp: true, client =>
    {
        var box = client.Box(entity);
        if (box.GetValues(id) is not { } values)
        {
            errors.WriteLine($"{box.EntityName} {id} not found.");
            return Task.FromResult(Failed);
        }

        WriteObject(client.Model.FindEntity(box.EntityName)!, values, Indented);
        return Task.FromResult(Ok);
    });

    public Task<int> ListAsync(string entity) => WithClientAsync(catchUp: true, client =>
    {
        var box = client.Box(entity);
        var modelEntity = client.Model.FindEntity(box.EntityName)!;
        var objects = box.GetAllValues();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Indented))
        {
            writer.WriteStartArray();
            foreach (var values in objects)
            {
                ObjectJson.Write(writer, modelEntity, values);
            }

            writer.WriteEndArray();
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        return Task.FromResult(Ok);
    });

    public Task<int> RemoveAsync(string entity, ulong id) => WithClientAsync(catchUp: false, async client =>
    {
        var box = client.Box(entity);
        if (!box.Remove(id))
        {
            errors.WriteLine($"{box.EntityName} {id} not found.");
            return Failed;
        }

        if (!await ReportUploadAsync(client, $"the removal of {box.EntityName} {id}").ConfigureAwait(false))
        {
            return Failed;
        }

        output.WriteLine($"{{\"removed\":{id}}}");
        return Ok;
    });

    public Task<int> WatchAsync() => WithClientAsync(catchUp: false, async client =>
    {
        if (servers.Length == 0)
        {
            errors.WriteLine("watch needs --server.");
            return Failed;
        }

        client.DataChanged += (_, change) => WriteChange(client, change);
        client.StateChanged += (_, state) => errors.WriteLine($"[{state}]");
        client.Disconnected += (_, e) => errors.WriteLine($"[disconnected from {e.Server}: {e.Reason}]");
        client.Start();
        var stopped = Task.Delay(System.Threading.Timeout.Infinite, token);
        if (await Task.WhenAny(stopped, _hopeless.Task).ConfigureAwait(false) == _hopeless.Task)
        {
            errors.WriteLine(await _hopeless.Task.ConfigureAwait(false));
            return Failed;
        }

        return Ok;
    }, startAutomatically: false);

    private async Task<int> WithClientAsync(bool catchUp, Func<SyncClient, Task<int>> action, bool startAutomatically = true)
    {
        string modelJson;
        try
        {
            modelJson = await File.ReadAllTextAsync(model.FullName, token).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            errors.WriteLine($"Cannot read the model file {model.FullName}: {e.Message}");
            return Failed;
        }

        ClientLogin login;
        try
        {
            login = readLogin();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine(e.Message);
            return Failed;
        }

        try
        {
            var options = new SyncClientOptions
            {
                ServerUrls = [.. servers.Select(s => new Uri(s))],
                Credentials = login.Credentials,
                TrustedCertificates = login.TrustedCertificates,
                FilterVariables = filterVariables,
                ModelJson = modelJson,
                DataDirectory = directory.FullName,
            };
            _trustsExtraCertificates = login.TrustedCertificates.Count > 0;
            WarnAboutPlainPasswords(options);
            await using var client = new SyncClient(options);
            var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.UpdatesCompleted += (_, _) => caughtUp.TrySetResult();
            client.LoginFailed += (_, e) => OnLoginFailed(e);
            client.TxRejected += (_, e) => _rejected.Enqueue(e);
            client.Disconnected += (_, e) => OnDisconnected(e, options.ServerUrls.Distinct().Count());
            if (startAutomatically && servers.Length > 0)
            {
                client.Start();
                switch (catchUp ? await WaitAsync(_ => caughtUp.Task).ConfigureAwait(false) : Outcome.Done)
                {
                    case Outcome.TimedOut:
                        errors.WriteLine($"The server did not answer within {timeout.TotalSeconds:0} s; showing local data.");
                        break;
                    case Outcome.Hopeless:
                        errors.WriteLine(await _hopeless.Task.ConfigureAwait(false));
                        return Failed;
                }
            }

            return await action(client).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ModelException or ArgumentException or JsonException or ObjectFormatException or UriFormatException
            or IOException)
        {
            errors.WriteLine(e is ModelException ? $"{model.FullName}: {e.Message}" : e.Message);
            return Failed;
        }
    }

    /// <returns>False when the server refused the login or could not be trusted (reported; the change stays queued), or
    /// refused a TX (reported with the server's reason; the TX is dropped).</returns>
    private async Task<bool> ReportUploadAsync(SyncClient client, string what)
    {
        if (servers.Length == 0)
        {
            errors.WriteLine($"Saved locally; {what} is queued until a run with --server.");
            return true;
        }

        switch (await WaitAsync(client.WaitForUploadAsync).ConfigureAwait(false))
        {
            case Outcome.TimedOut:
                errors.WriteLine($"The server did not confirm within {timeout.TotalSeconds:0} s; {what} is queued offline and will be sent on the next connection.");
                return true;
            case Outcome.Hopeless:
                errors.WriteLine(await _hopeless.Task.ConfigureAwait(false));
                errors.WriteLine($"Saved locally; {what} stays queued until a run that the server lets in.");
                return false;
            default:
                return ReportRejections();
        }
    }

    /// <returns>Whether no TX was refused.</returns>
    private bool ReportRejections()
    {
        var none = true;
        while (_rejected.TryDequeue(out var rejection))
        {
            none = false;
            var outcome = rejection.Code == Core.Protocol.ErrorCode.PermissionDenied
                ? "the server's sync filter does not let this client write it; the local copy is put back to what the server has"
                : "it is dropped; the local data keeps it";
            errors.WriteLine($"The server refused TX {rejection.ClientTxId} ({(int)rejection.Code} {rejection.Code}: {rejection.Text}): {outcome}.");
        }

        return none;
    }

    /// <summary>Waits for <paramref name="work"/> (given a token that ends at the timeout) unless the run turns hopeless first.</summary>
    private async Task<Outcome> WaitAsync(Func<CancellationToken, Task> work)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(token);
        timer.CancelAfter(timeout);
        var task = work(timer.Token).WaitAsync(timer.Token);
        if (await Task.WhenAny(task, _hopeless.Task).ConfigureAwait(false) == _hopeless.Task)
        {
            await timer.CancelAsync().ConfigureAwait(false);
            return Outcome.Hopeless;
        }

        try
        {
            await task.ConfigureAwait(false);
            return Outcome.Done;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return Outcome.TimedOut;
        }
    }

    private void OnLoginFailed(LoginFailedEventArgs e)
    {
        var message = LoginRefusal.Describe(e.Code, e.Text);
        if (LoginRefusal.IsFinal(e.Code))
        {
            _hopeless.TrySetResult(message);
        }
        else
        {
            errors.WriteLine(message);
        }
    }

    /// <summary>A failed TLS handshake (mostly an untrusted certificate) is hopeless once it happened with every server.</summary>
    private void OnDisconnected(DisconnectedEventArgs e, int serverCount)
    {
        var tls = e.Exception;
        while (tls is not null and not AuthenticationException)
        {
            tls = tls.InnerException;
        }

        if (tls is null)
        {
            return;
        }

        _tlsFailed.Add(e.Server);
        if (_tlsFailed.Count < serverCount)
        {
            return;
        }

        var hint = _trustsExtraCertificates
            ? "Neither the system's roots nor the --trusted-cert certificates vouch for the server's certificate (or it is not for this host name or out of date)."
            : "If the server's certificate is self-signed or from a private CA, pass it (or the CA's) with --trusted-cert <file.pem>.";
        _hopeless.TrySetResult($"Cannot connect to {e.Server} over TLS: {tls.Message.TrimEnd('.')}. {hint}");
    }

    /// <summary>Admin user passwords travel as they are: say so when they would cross a network unencrypted.</summary>
    private void WarnAboutPlainPasswords(SyncClientOptions options)
    {
        if (options.Credentials.Type == Core.Protocol.CredentialType.ObxAdminUser
            && options.ServerUrls.FirstOrDefault(u => u.Scheme == "ws" && !u.IsLoopback) is { } plain)
        {
            errors.WriteLine($"Warning: the password is sent unencrypted to {plain}; use wss://.");
        }
    }

    private void WriteChange(SyncClient client, DataChangedEventArgs change)
    {
        var box = client.Box(change.Entity);
        var modelEntity = client.Model.FindEntity(box.EntityName)!;
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("entity", change.Entity);
            writer.WriteStartArray("put");
            foreach (var id in change.PutIds)
            {
                if (box.GetValues(id) is { } values)
                {
                    ObjectJson.Write(writer, modelEntity, values);
                }
            }

            writer.WriteEndArray();
            writer.WriteStartArray("removed");
            foreach (var id in change.RemovedIds)
            {
                writer.WriteNumberValue(id);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        lock (_outputLock)
        {
            output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
            output.Flush();
        }
    }

    private void WriteObject(ModelEntity entity, IReadOnlyDictionary<uint, object?> values, JsonWriterOptions options)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, options))
        {
            ObjectJson.Write(writer, entity, values);
        }

        lock (_outputLock)
        {
            output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        }
    }
}
