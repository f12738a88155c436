using System.Collections.Concurrent;

namespace SyncServer.Engine.Logging;

/// <summary>
/// The short tags ObjectBox prints in its log lines (<c>[SySvAp]</c>). Engine code uses a tag as the logger category:
/// <c>loggerFactory.CreateLogger(LogTags.Server)</c>. Framework categories are mapped by <see cref="ForCategory"/>.
/// </summary>
public static class LogTags
{
    /// <summary>Maximum tag width in a log line; shorter tags are padded, longer ones truncated.</summary>
    public const int Width = 6;

    public const string Server = "SySvAp";
    public const string Schema = "SchVer";
    public const string Sync = "SvSync";
    public const string Http = "HttpSv";
    public const string Storage = "DbStor";
    public const string Auth = "SvAuth";
    public const string Stats = "SyStat";

    /// <summary>Tag for the .NET generic host (<c>Microsoft.Hosting.*</c>, <c>Microsoft.Extensions.Hosting.*</c>).</summary>
    public const string Host = "Host";

    /// <summary>Tag for Entity Framework Core (<c>Microsoft.EntityFrameworkCore.*</c>).</summary>
    public const string EfCore = "EfCore";

    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The tag printed for a logger category: ASP.NET Core categories print <see cref="Http"/>, hosting categories
    /// <see cref="Host"/>, EF Core categories <see cref="EfCore"/>, anything else its last dot-separated segment cut to
    /// <see cref="Width"/> characters (so the engine's own tags print as they are). Cached: this runs for every line.
    /// </summary>
    public static string ForCategory(string? category) =>
        string.IsNullOrEmpty(category) ? string.Empty : Cache.GetOrAdd(category, Map);

    private static string Map(string category)
    {
        if (HasPrefix(category, "Microsoft.AspNetCore"))
        {
            return Http;
        }

        if (HasPrefix(category, "Microsoft.Hosting") || HasPrefix(category, "Microsoft.Extensions.Hosting"))
        {
            return Host;
        }

        if (HasPrefix(category, "Microsoft.EntityFrameworkCore"))
        {
            return EfCore;
        }

        // Generic type names ("Foo.Bar<Baz.Qux>") end in their arguments: look at the type name itself.
        var name = category.AsSpan();
        var generic = name.IndexOfAny('<', '[');
        if (generic > 0)
        {
            name = name[..generic];
        }

        name = name.TrimEnd('.');
        var segment = name[(name.LastIndexOf('.') + 1)..];
        if (segment.IsEmpty)
        {
            segment = category.AsSpan();
        }

        return segment.Length > Width ? segment[..Width].ToString() : segment.ToString();
    }

    private static bool HasPrefix(string category, string prefix) =>
        category.StartsWith(prefix, StringComparison.Ordinal)
        && (category.Length == prefix.Length || category[prefix.Length] == '.');
}
