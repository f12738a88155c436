using SyncServer.Engine.Schema;

namespace SyncServer.Web.Services;

/// <summary>What an uploaded model would do: either <see cref="Errors"/> (invalid JSON or model) or a preview with the diff.</summary>
internal sealed record ModelCheck(IReadOnlyList<string> Errors, SchemaPreview? Preview)
{
    public bool IsValid => Errors.Count == 0 && Preview is not null;

    public bool CanApply => IsValid && Preview!.IsCompatible;
}
