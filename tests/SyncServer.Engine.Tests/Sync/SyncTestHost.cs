using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Storage;
using SyncServer.Engine.Sync;
using SyncServer.Engine.Tests.Stats;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Engine.Tests.Sync;

/// <summary>
/// The sync engine on a real database in a fresh temp directory: registry, feed, writer and snapshot reader, with the
/// test model (<see cref="TestModelJson"/>) as the current schema version. <see cref="ReopenAsync"/> closes and opens it
/// all again on the same directory.
/// </summary>
internal sealed class SyncTestHost : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestMeterFactory _meters = new();
    private readonly string _currentModelJson;
    private readonly int _ringCapacity;
    private readonly long? _maxSizeBytes;
    private readonly TxWriterOptions? _writerOptions;
    private IReadOnlyDictionary<string, string>? _syncFilters;

    public SyncTestHost(
        string? currentModelJson = null, int ringCapacity = 4096, long? maxSizeBytes = null, TxWriterOptions? writerOptions = null,
        IReadOnlyDictionary<string, string>? syncFilters = null)
    {
        _syncFilters = syncFilters;
        _currentModelJson = currentModelJson ?? TestModelJson.Value;
        _ringCapacity = ringCapacity;
        _maxSizeBytes = maxSizeBytes;
        _writerOptions = writerOptions;
        Statistics = new SyncStatistics(_meters, Time, NullLoggerFactory.Instance);
        Open();
    }

    /// <summary>The example model plus Note (SYNC_PRECEDENCE + SYNC_CLOCK), Event (SYNC_CLOCK only), Local (not synced)
    /// and a relation Task.locals to Local.</summary>
    public static Lazy<string> TestModelJson { get; } = new(() => BuildTestModel().ToJsonString());

    public static ObjectBoxModel TestModel { get; } = ModelJsonReader.Read(TestModelJson.Value);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public SyncDatabase Database { get; private set; } = null!;
    public SchemaVersions Schema { get; private set; } = null!;
    public ClientRegistry Clients { get; private set; } = null!;
    public TxFeed Feed { get; private set; } = null!;
    public TxWriter Writer { get; private set; } = null!;
    public SnapshotReader Snapshots { get; private set; } = null!;

    /// <summary>The sync filters given to the constructor, over the current schema version.</summary>
    public Engine.Filters.SyncFilters Filters { get; private set; } = null!;

    /// <summary>The statistics the writer reports to (driven by <see cref="Time"/>; kept across <see cref="ReopenAsync"/>).</summary>
    public SyncStatistics Statistics { get; }

    public string DatabasePath => Database.DatabasePath;

    public static JsonObject BuildTestModel()
    {
        var model = ModelJson.Example().AddConflictEntities();
        var local = model.AddEntity("Local", EntityFlags.None);
        var relationId = new IdUid(model.IdOf("lastRelationId").Id + 1, ModelJson.NewUid());
        model.Entity("Task")["relations"]!.AsArray().Add(new JsonObject
        {
            ["id"] = relationId.ToString(),
            ["name"] = "locals",
            ["targetId"] = local.IdOf().ToString(),
        });
        model["lastRelationId"] = relationId.ToString();
        return model;
    }

    /// <param name="syncFilters">Other sync filters from now on; null: the same.</param>
    public async Task ReopenAsync(IReadOnlyDictionary<string, string>? syncFilters = null)
    {
        await CloseAsync();
        _syncFilters = syncFilters ?? _syncFilters;
        Open();
    }

    public void Dispose()
    {
        CloseAsync().GetAwaiter().GetResult();
        Statistics.Dispose();
        _meters.Dispose();
        _temp.Dispose();
    }

    public uint Login(string clientId) => Clients.Login(System.Text.Encoding.UTF8.GetBytes(clientId)).Number;

    public Task<TxOutcome> SubmitAsync(uint client, ulong txId, params SyncOp[] ops) => SubmitAsync(client, txId, TestModel, ops);

    public Task<TxOutcome> SubmitAsync(uint client, ulong txId, ObjectBoxModel model, params SyncOp[] ops) =>
        SubmitAsync(client, txId, model, null, ops);

    /// <summary>Submits a TX whose writes are checked against <paramref name="filters"/> (the sender's).</summary>
    public Task<TxOutcome> SubmitAsync(uint client, ulong txId, ObjectBoxModel model, Engine.Filters.ClientFilters? filters, params SyncOp[] ops)
    {
        var tx = new ClientTx(txId, ops);
        TxValidator.Validate(tx, model);
        return Writer.SubmitAsync(new TxSubmission(client, tx, model, filters), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The filters of a login whose JWT has <c>sub</c> <paramref name="subject"/>.</summary>
    public Engine.Filters.ClientFilters FiltersOf(string subject) =>
        Filters.Current.Resolve(new Engine.Filters.FilterVariableValues(
            System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["sub"] = subject }),
            new Dictionary<string, IReadOnlyList<string>>()));

    public static ModelEntity Entity(string name, ObjectBoxModel? model = null) => (model ?? TestModel).FindEntity(name)!;

    /// <summary>A PUT of <paramref name="entity"/> object <paramref name="id"/> with the given property values (by name).</summary>
    public static PutOp Put(string entity, ulong id, params (string Name, object? Value)[] values) => Put(TestModel, entity, id, values);

    public static PutOp Put(ObjectBoxModel model, string entity, ulong id, params (string Name, object? Value)[] values)
    {
        var e = Entity(entity, model);
        var map = new Dictionary<uint, object?> { [e.IdProperty.Id.Id] = id };
        foreach (var (name, value) in values)
        {
            map[e.FindProperty(name)!.Id.Id] = value;
        }

        return new PutOp(e.Id.Id, id, ObjectCodec.Encode(e, map));
    }

    public static RemoveOp Remove(string entity, ulong id, ulong clock = 0) => new(Entity(entity).Id.Id, id, clock);

    public static LinkOp Link(ulong taskId, ulong tagId, bool linked = true) =>
        new(Entity("Task").Relations.Single(r => r.Name == "tags").Id.Id, taskId, tagId, linked);

    /// <summary>The stored object's non-null properties by name, read from a fresh connection; null if there is none.</summary>
    public Dictionary<string, object?>? ReadObject(string entity, ulong id, ObjectBoxModel? model = null)
    {
        var e = Entity(entity, model);
        var data = QueryFresh(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT data FROM objects WHERE entity_uid = $uid AND id = $id";
            command.Parameters.AddWithValue("$uid", unchecked((long)e.Id.Uid));
            command.Parameters.AddWithValue("$id", unchecked((long)id));
            return command.ExecuteScalar() as byte[];
        });
        return data is null
            ? null
            : ObjectCodec.Decode(e, data).Where(p => p.Value is not null).ToDictionary(p => e.FindProperty(p.Key)!.Name, p => p.Value);
    }

    public long Count(string sql) => QueryFresh(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    });

    /// <summary>Runs a query on a brand-new connection (not pooled, not the writer): it sees only committed data.</summary>
    public T QueryFresh<T>(Func<SqliteConnection, T> query)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return query(connection);
    }

    private void Open()
    {
        Database = SyncDatabase.Open(new SyncDatabaseOptions { DataDirectory = _temp.Path, MaxSizeBytes = _maxSizeBytes }, NullLoggerFactory.Instance);
        Schema = new SchemaVersions(Database, NullLoggerFactory.Instance, Time);
        if (Schema.Current is null)
        {
            Schema.AddAndSwitch(_currentModelJson, "test");
        }

        Filters = new Engine.Filters.SyncFilters(_syncFilters);
        Filters.Attach(Schema);
        Database.EnsureFilterIndex(Filters.Current);
        Clients = new ClientRegistry(Database, Time, NullLoggerFactory.Instance);
        Feed = new TxFeed(Database, _ringCapacity);
        Writer = new TxWriter(Database, Feed, Schema, Time, NullLoggerFactory.Instance, _writerOptions, Statistics, Filters);
        Snapshots = new SnapshotReader(Database);
    }

    private async Task CloseAsync()
    {
        await Writer.StopAsync();
        Clients.Dispose();
        Database.Dispose();
    }
}
