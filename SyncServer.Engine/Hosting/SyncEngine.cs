using Microsoft.Extensions.Logging;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Logging;
using SyncServer.Core.Model;
using SyncServer.Engine.Data;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Storage;
using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Hosting;

// Singleton, thread-safe after Start: Start and Stop are called once each by the host; everything else is read-only or
// delegates to services that state their own contracts.
/// <summary>
/// The sync engine as the host sees it: starts up (authentication check, data directory lock, database, schema versions),
/// exposes the engine services the host and admin UI use, and closes the database on stop.
/// </summary>
public sealed class SyncEngine(
    SyncEngineOptions options,
    IEnumerable<IClientAuthenticator> authenticators,
    LogLevelSwitch logLevel,
    ILoggerFactory loggerFactory,
    TimeProvider time,
    SyncStatistics? statistics = null)
    : IDisposable
{
    private readonly ILogger _log = loggerFactory.CreateLogger(LogTags.Server);
    private DataDirectoryLock? _lock;
    private SyncDatabase? _database;
    private SchemaVersions? _schema;
    private ClientRegistry? _clients;
    private TxFeed? _feed;
    private TxWriter? _writer;
    private SnapshotReader? _snapshots;
    private ObjectBrowser? _objects;

    public SyncEngineOptions Options => options;

    /// <summary>The runtime log level (the status page's debug switch).</summary>
    public LogLevelSwitch LogLevel => logLevel;

    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>The server's statistics (null when the engine was built without them, as in some tests).</summary>
    public SyncStatistics? Statistics => statistics;

    public SchemaVersions Schema => _schema ?? throw NotStarted();

    public SyncDatabase Database => _database ?? throw NotStarted();

    /// <summary>Client numbers and positions (docs/sync-engine.md).</summary>
    public ClientRegistry Clients => _clients ?? throw NotStarted();

    /// <summary>Committed transactions for catch-up and live updates.</summary>
    public TxFeed Feed => _feed ?? throw NotStarted();

    /// <summary>The single writer of sync data.</summary>
    public TxWriter Writer => _writer ?? throw NotStarted();

    /// <summary>Consistent snapshots for full syncs.</summary>
    public SnapshotReader Snapshots => _snapshots ?? throw NotStarted();

    /// <summary>Read-only object and link queries for the admin UI (browse, export).</summary>
    public ObjectBrowser Objects => _objects ?? throw NotStarted();

    /// <exception cref="SyncEngineStartException">The engine refuses to start; nothing was written.</exception>
    public void Start()
    {
        if (StartedAt is not null)
        {
            return;
        }

        if (!authenticators.Any())
        {
            throw new SyncEngineStartException(
                "Authenticator must be set before starting",
                SyncEngineStartException.RuntimeErrorExitCode,
                hint: "No client authentication method is configured, so no client could ever log in. Configure one in the config "
                    + "file's \"auth\" section, or for development pass --unsecured-no-authentication (every client is allowed).");
        }

        if (options.UnsecuredNoAuthentication)
        {
            ServerLog.Insecure(_log);
        }

        // Read and validate the model before touching the data directory: a bad model must leave the database untouched.
        var model = options.ModelFile is null ? null : ReadModelFile(options.ModelFile);
        try
        {
            _lock = DataDirectoryLock.Acquire(options.DataDirectory);
            _database = SyncDatabase.Open(new SyncDatabaseOptions { DataDirectory = options.DataDirectory, MaxSizeBytes = options.MaxSizeBytes }, loggerFactory);
            _schema = new SchemaVersions(_database, loggerFactory, time);
            var current = InitializeSchema(_schema, model);
            _clients = new ClientRegistry(_database, time, loggerFactory);
            _feed = new TxFeed(_database);
            _writer = new TxWriter(_database, _feed, _schema, time, loggerFactory, new TxWriterOptions
            {
                HistoryMaxBytes = options.HistoryMaxBytes,
                HistoryTargetBytes = options.HistoryTargetBytes,
            }, statistics);
            _snapshots = new SnapshotReader(_database);
            _objects = new ObjectBrowser(_database, options.PropertySortLimit);
            var (database, writer, feed) = (_database, _writer, _feed);
            statistics?.AttachEngine(new EngineGauges(() => database.SizeBytes, () => writer.TxLogBytes, () => feed.Head, () => feed.RetainedFrom));
            ServerLog.Starting(_log, current.Version.Id);
            StartedAt = time.GetUtcNow();
        }
        catch (StorageException e)
        {
            Stop();
            throw new SyncEngineStartException(e.Message, SyncEngineStartException.RuntimeErrorExitCode, inner: e);
        }
        catch (SchemaIncompatibleException e)
        {
            Stop();
            throw new SyncEngineStartException(
                e.Message,
                SyncEngineStartException.BadInputExitCode,
                [.. e.Conflicts.Select(c => c.Description)],
                "Fix the model so it is a compatible change (docs/schema.md), or start without --model to keep the current version.",
                e);
        }
        catch (ModelException e)
        {
            // Only stored models get here (a given model file was validated above): the database holds a model this
            // version cannot read.
            Stop();
            throw new SyncEngineStartException(
                $"The current schema version stored in {options.DataDirectory} cannot be read",
                SyncEngineStartException.RuntimeErrorExitCode,
                [.. e.Errors.Select(error => error.ToString())],
                inner: e);
        }
        catch
        {
            Stop();
            throw;
        }
    }

    /// <summary>
    /// Shutdown after the sessions have closed: the writer commits what is queued (awaited, not blocking a thread),
    /// confirmed client positions are written, then the database closes.
    /// </summary>
    public async Task StopAsync()
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.StopAsync().ConfigureAwait(false);
        }

        Stop();
    }

    public void Stop()
    {
        // Queued transactions are applied before the database closes; confirmed positions are flushed.
        _writer?.StopAsync().GetAwaiter().GetResult();
        _writer = null;
        statistics?.DetachEngine();
        _clients?.Dispose();
        _clients = null;
        _feed = null;
        _snapshots = null;
        _objects = null;
        _database?.Dispose();
        _database = null;
        _lock?.Dispose();
        _lock = null;
    }

    public void Dispose() => Stop();

    private CurrentSchema InitializeSchema(SchemaVersions schema, LoadedModel? model)
    {
        var current = schema.Current;
        if (model is null)
        {
            return current ?? throw new SyncEngineStartException(
                $"Database in {Path.GetFullPath(options.DataDirectory)} has no schema and no model file was given",
                SyncEngineStartException.BadInputExitCode,
                hint: "Pass the app's objectbox-model.json: --model path/to/objectbox-model.json (or \"modelFile\" in the config file).");
        }

        if (current is null)
        {
            ServerLog.NoSchemaLoading(_log, model.Name);
        }

        ServerLog.ModelLoaded(_log, model.Name, model.Bytes);
        if (current is not null && current.Version.Hash == model.Model.Hash)
        {
            ServerLog.ModelUnchanged(_log, model.Name, current.Version.Id);
            return current;
        }

        return schema.AddAndSwitch(model.Json, model.Name);
    }

    private static LoadedModel ReadModelFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SyncEngineStartException(
                $"Model file {path} cannot be read: {e.Message}", SyncEngineStartException.BadInputExitCode, inner: e);
        }

        var name = Path.GetFileName(path);
        try
        {
            var json = System.Text.Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
            return new LoadedModel(name, json, bytes.Length, ModelJsonReader.Read(json));
        }
        catch (ModelException e)
        {
            throw new SyncEngineStartException(
                $"Model file {path} is invalid ({e.Errors.Count} problem{(e.Errors.Count == 1 ? "" : "s")}); nothing was written",
                SyncEngineStartException.BadInputExitCode,
                [.. e.Errors.Select(error => $"{name}: {error}")],
                inner: e);
        }
    }

    private static InvalidOperationException NotStarted() => new("The sync engine has not been started");

    private sealed record LoadedModel(string Name, string Json, int Bytes, ObjectBoxModel Model);
}
