using System.Collections.Concurrent;
using SyncServer.Core.Model;
using SyncServer.Engine.Schema;

namespace SyncServer.Engine.Sync.Sessions;

// Singleton, thread-safe: parsed models and views are cached in concurrent dictionaries; both are immutable.
/// <summary>
/// Finds the schema version a client's model hash belongs to, and caches the parsed model of each version (a model is
/// parsed once, not per login) and the <see cref="ClientSchemaView"/> between a client's version and the current one.
/// </summary>
internal sealed class ClientSchemas(SchemaVersions versions)
{
    private readonly ConcurrentDictionary<int, ObjectBoxModel> _models = new();
    private readonly ConcurrentDictionary<(int Client, int Current), ClientSchemaView> _views = new();

    /// <summary>The version whose model hash is <paramref name="schemaHash"/> and that accepts clients, or null.</summary>
    public SchemaVersion? FindAccepting(ReadOnlySpan<byte> schemaHash)
    {
        var hex = Convert.ToHexStringLower(schemaHash);
        return versions.List().FirstOrDefault(v => v.AcceptClients && string.Equals(v.Hash, hex, StringComparison.OrdinalIgnoreCase));
    }

    public ObjectBoxModel Model(int versionId)
    {
        if (versions.Current is { } current && current.Version.Id == versionId)
        {
            return _models.GetOrAdd(versionId, current.Model);
        }

        return _models.GetOrAdd(versionId, id => ModelJsonReader.Read(versions.GetModelJson(id)));
    }

    /// <summary>How data of the current version is shown to a client on version <paramref name="clientVersionId"/>.</summary>
    public ClientSchemaView View(int clientVersionId)
    {
        var current = versions.Current ?? throw new InvalidOperationException("The server has no schema version");
        return _views.GetOrAdd(
            (clientVersionId, current.Version.Id),
            key => new ClientSchemaView(Model(key.Client), Model(key.Current)));
    }
}
