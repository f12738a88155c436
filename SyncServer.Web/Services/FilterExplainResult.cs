using SyncServer.Engine.Filters;

namespace SyncServer.Web.Services;

/// <summary>The answer to an explain request: the engine's explanation, or (unknown client, unknown entity) why there
/// is none, as the engine says it.</summary>
internal sealed record FilterExplainResult(FilterExplanation? Explanation, string? Error)
{
    public static FilterExplainResult Of(FilterExplanation explanation) => new(explanation, null);

    public static FilterExplainResult Refused(string error) => new(null, error);
}
