using Microsoft.Extensions.Logging;
using SyncServer.Engine.Auth;
using SyncServer.Engine.Logging;
using SyncServer.Core.Model;
using SyncServer.Engine.Data;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Storage;
using SyncServer.Engine.Sync;
using SyncServer.Engine.Sync.Sessions;

namespace SyncServer.Engine.Hosting;

// Singleton, thread-safe after Start: Start and Stop are called once each by the host; everything else is read-only or
// delegates to services that state their own contracts.
/// <summary>
/// The sync engine as the host sees it: starts up (authentication check, data directory lock, database, schema versions,
/// then the sync services of <see cref="EngineServices"/>), offers the host and the admin UI a narrow surface (schema
/// versions, object browser, database size, statistics, log level), and on stop drains the writer and closes the database.
/// The sync sessions reach the rest through <see cref="Services"/>.
/// </summary>
public sealed class SyncEngine(
    SyncEngineOptions options,
    SyncOptions syncOptions,
    IEnumerable<IClientAuthenticator> authenticators,
    SyncStatistics statistics,
    LogLevelSwitch logLevel,
    ILoggerFactory loggerFactory,
    TimeProvider time)
    : IDisposable
{
    private readonly ILogger _log = loggerFactory.CreateLogger(LogTags.Server);
    private DataDirectoryLock? _lock;
    private SyncDatabase? _database;
    private EngineServices? _services;

    public SyncEngineOptions Options => options;

    /// <summary>The runtime log level (the status page's debug switch).</summary>
    public LogLevelSwitch LogLevel => logLevel;

    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>The server's statistics.</summary>
    public SyncStatistics Statistics => statistics;

    /// <summary>The schema versions (the admin UI lists, previews, adds and switches them).</summary>
    public SchemaVersions Schema => Services.Schema;

    /// <summary>The sync filters and their explanations for the admin UI.</summary>
    public FilterInspector Filters => Services.Inspector;

    /// <summary>Read-only object and link queries for the admin UI (browse, export).</summary>
    public ObjectBrowser Objects => Services.Objects;

    /// <summary>The size of the database's committed content in bytes.</summary>
    public long DatabaseSizeBytes => Services.Storage.SizeBytes;

    /// <summary>The database size limit (<c>--db-max-size</c>), or null for none.</summary>
    public long? DatabaseMaxSizeBytes => Services.Storage.MaxSizeBytes;

    /// <summary>The running engine's services (throws before <see cref="Start"/> and after <see cref="Stop"/>).</summary>
    internal EngineServices Services => Volatile.Read(ref _services) ?? throw NotStarted();

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

        // Read and validate the model and the filters before touching the data directory: a bad model or filter must
        // leave the database untouched.
        var model = options.ModelFile is null ? null : ReadModelFile(options.ModelFile);
        var filters = new SyncFilters(options.SyncFilters);
        if (model is not null)
        {
            CheckFilters(() => filters.Parse(model.Model), model.Name);
        }

        try
        {
            _lock = DataDirectoryLock.Acquire(options.DataDirectory);
            _database = SyncDatabase.Open(new SyncDatabaseOptions
            {
                DataDirectory = options.DataDirectory,
                MaxSizeBytes = options.MaxSizeBytes,
                SkipIntegrityCheck = options.SkipIntegrityCheck,
            }, loggerFactory);
            var schema = new SchemaVersions(_database, loggerFactory, time);
            var current = InitializeSchema(schema, model);
            CheckFilters(() => { filters.Attach(schema); return filters.Current; }, $"schema version ID {current.Version.Id}");
            _database.EnsureFilterIndex(filters.Current);
            var clients = new ClientRegistry(_database, time, loggerFactory);
            var feed = new TxFeed(_database);
            var writer = new TxWriter(_database, feed, schema, time, loggerFactory, new TxWriterOptions
            {
                HistoryMaxBytes = options.HistoryMaxBytes,
                HistoryTargetBytes = options.HistoryTargetBytes,
            }, statistics, filters);
            var fanOut = new LiveFanOut(feed, syncOptions, loggerFactory.CreateLogger(LogTags.Sync));
            var services = new EngineServices(
                _database, schema, clients, feed, writer, new SnapshotReader(_database), new ObjectBrowser(_database, options.PropertySortLimit), fanOut,
                filters, new FilterInspector(_database, filters, schema));
            var database = _database;
            statistics.AttachEngine(new EngineGauges(() => database.SizeBytes, () => writer.TxLogBytes, () => feed.Head, () => feed.RetainedFrom));
            fanOut.Start();
            Volatile.Write(ref _services, services);
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
    /// Shutdown after the sessions have closed: the live fan-out stops, the writer commits what is queued (awaited, not
    /// blocking a thread), confirmed client positions are written, then the database closes.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _services, null) is { } services)
        {
            await services.FanOut.StopAsync().ConfigureAwait(false);
            await services.Writer.StopAsync().ConfigureAwait(false);
            Close(services);
        }

        Stop();
    }

    public void Stop()
    {
        if (Interlocked.Exchange(ref _services, null) is { } services)
        {
            // Queued transactions are applied before the database closes; confirmed positions are flushed.
            services.FanOut.StopAsync().GetAwaiter().GetResult();
            services.Writer.StopAsync().GetAwaiter().GetResult();
            Close(services);
        }

        _database?.Dispose();
        _database = null;
        _lock?.Dispose();
        _lock = null;
    }

    public void Dispose() => Stop();

    private void Close(EngineServices services)
    {
        services.FanOut.Dispose();
        statistics.DetachEngine();
        services.Clients.Dispose();
    }

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

        // A model the server has run with before never switches back at start: the current version may have been chosen
        // in the admin UI since (docs/schema.md, "At start"). Only a model never seen becomes the next current version.
        if (current is not null && schema.List().FirstOrDefault(v => v.Hash == model.Model.Hash) is { } stored)
        {
            ServerLog.ModelIsStoredVersion(_log, model.Name, stored.Id, current.Version.Id);
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

    private static void CheckFilters(Func<SyncFilterSet> parse, string against)
    {
        try
        {
            parse();
        }
        catch (FilterException e)
        {
            throw new SyncEngineStartException(
                $"Config key syncFilters: {e.Message}",
                SyncEngineStartException.BadInputExitCode,
                hint: $"The filters are checked against the model ({against}); fix the expression or the model (docs/filters.md). Nothing was written.",
                inner: e);
        }
    }

    private static InvalidOperationException NotStarted() => new("The sync engine has not been started");

    private sealed record LoadedModel(string Name, string Json, int Bytes, ObjectBoxModel Model);
}
