namespace SyncServer.Bench.Results;

internal static class DetailsExtensions
{
    /// <summary>The details with <paramref name="more"/> added.</summary>
    public static Dictionary<string, object> With(this Dictionary<string, object> details, IReadOnlyDictionary<string, object> more)
    {
        foreach (var (key, value) in more)
        {
            details[key] = value;
        }

        return details;
    }
}
