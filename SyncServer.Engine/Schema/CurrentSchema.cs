using SyncServer.Core.Model;

namespace SyncServer.Engine.Schema;

/// <summary>The schema version the server runs with, and its parsed model. Immutable snapshot.</summary>
public sealed record CurrentSchema(SchemaVersion Version, ObjectBoxModel Model);
