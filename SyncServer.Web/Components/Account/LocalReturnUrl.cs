namespace SyncServer.Web.Components.Account;

/// <summary>
/// Return URLs (login, logout) are followed only when they stay on this server: a path (<c>/data</c>) or a path relative
/// to the app's base (<c>data</c>). Anything else (<c>//evil.com</c>, <c>/\evil.com</c>, <c>javascript:…</c>, an
/// absolute URL, control characters) becomes the home page.
/// </summary>
internal static class LocalReturnUrl
{
    /// <summary>The URL relative to the app's base (no leading slash; "" is the home page).</summary>
    public static string ToBaseRelative(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\'))
        {
            return "";
        }

        if (url.StartsWith('/'))
        {
            // "//host" is another server; "/path" is a path here.
            return url.StartsWith("//", StringComparison.Ordinal) ? "" : url[1..];
        }

        // A scheme ("javascript:", "http:") comes before the first '/', '?' or '#'; a relative path has no ':' there.
        var end = url.IndexOfAny(['/', '?', '#']);
        return (end < 0 ? url : url[..end]).Contains(':', StringComparison.Ordinal) ? "" : url;
    }
}
