namespace SyncServer.Web.Services;

/// <summary>One stored object decoded with the current schema; <see cref="Error"/> is set when its bytes did not decode.</summary>
internal sealed record DecodedObject(ulong Id, ulong Position, IReadOnlyDictionary<uint, object?> Values, int Size, string? Error = null);
