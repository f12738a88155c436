using SyncServer.Engine.Sync;

namespace SyncServer.Engine.Storage;

/// <summary>What <see cref="ISyncStorage.RecordClientLogin"/> found or created.</summary>
/// <param name="Record">The client as stored after the login.</param>
/// <param name="Created">True when this was the client's first login (it got a new number).</param>
internal sealed record ClientLogin(ClientRecord Record, bool Created);
