using System.Text;
using System.Text.Json;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;

namespace SyncServer.Client.Cli;

/// <summary>Runs one sync-client command: opens the client, talks to the server within the timeout, prints JSON to
/// <c>output</c> and everything else to <c>errors</c>. One per invocation, not thread-safe except for its output lock.</summary>
internal sealed class ClientRunner(
    string[] servers, FileInfo model, DirectoryInfo directory, TimeSpan timeout, TextWriter output, TextWriter errors, CancellationToken token)
{
    private const int Ok = 0;
    private const int Failed = 1;
    private static readonly JsonWriterOptions Indented = new() { Indented = true };
    private readonly Lock _outputLock = new();

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
        await ReportUploadAsync(client, $"{box.EntityName} {id}").ConfigureAwait(false);
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

        await ReportUploadAsync(client, $"removal of {box.EntityName} {id}").ConfigureAwait(false);
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
        try
        {
            await Task.Delay(System.Threading.Timeout.Infinite, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
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

        try
        {
            var options = new SyncClientOptions
            {
                ServerUrls = [.. servers.Select(s => new Uri(s))],
                ModelJson = modelJson,
                DataDirectory = directory.FullName,
            };
            await using var client = new SyncClient(options);
            var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.UpdatesCompleted += (_, _) => caughtUp.TrySetResult();
            client.LoginFailed += (_, e) => errors.WriteLine($"Login refused: {e.Code} {e.Text}");
            if (startAutomatically && servers.Length > 0)
            {
                client.Start();
                if (catchUp && !await CompletesAsync(caughtUp.Task).ConfigureAwait(false))
                {
                    errors.WriteLine($"The server did not answer within {timeout.TotalSeconds:0} s; showing local data.");
                }
            }

            return await action(client).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ModelException or ArgumentException or JsonException or ObjectFormatException or UriFormatException)
        {
            errors.WriteLine(e is ModelException ? $"{model.FullName}: {e.Message}" : e.Message);
            return Failed;
        }
    }

    private async Task ReportUploadAsync(SyncClient client, string what)
    {
        if (servers.Length == 0)
        {
            errors.WriteLine($"Saved locally; {what} is queued until a run with --server.");
            return;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(token);
        timer.CancelAfter(timeout);
        try
        {
            await client.WaitForUploadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            errors.WriteLine($"The server did not confirm within {timeout.TotalSeconds:0} s; {what} is queued offline and will be sent on the next connection.");
        }
    }

    private async Task<bool> CompletesAsync(Task task)
    {
        try
        {
            await task.WaitAsync(timeout, token).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
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
