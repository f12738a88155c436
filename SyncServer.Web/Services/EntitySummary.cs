using SyncServer.Core.Model;

namespace SyncServer.Web.Services;

/// <summary>An entity of the current schema with its stored object count.</summary>
internal sealed record EntitySummary(ModelEntity Entity, long ObjectCount);
