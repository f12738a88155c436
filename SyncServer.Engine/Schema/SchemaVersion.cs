namespace SyncServer.Engine.Schema;

/// <summary>One stored schema version (its model JSON is fetched separately: <see cref="SchemaVersions.GetModelJson"/>).</summary>
/// <param name="Id">1, 2, 3, ... in the order versions were added.</param>
/// <param name="Created">When the version was added (UTC).</param>
/// <param name="Source">Where the model came from: the model file's name, or "upload: name" from the admin UI.</param>
/// <param name="Hash">The model's semantic hash (<see cref="SyncServer.Core.Model.ObjectBoxModel.Hash"/>).</param>
/// <param name="AcceptClients">Whether clients whose schema matches this version may log in.</param>
public sealed record SchemaVersion(int Id, DateTimeOffset Created, string Source, string Hash, bool AcceptClients);
