using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace SyncServer.Web.Components.Pages;

/// <summary>
/// The entity grid's page, page size and sort as they stand in the URL's query string (<c>?page=3&amp;size=50&amp;sort=-title</c>:
/// page 1-based, <c>-</c> for descending), so reload, back and a copied link keep them. Anything unreadable (not a number,
/// a size the pager does not offer, a column that does not exist or cannot sort) falls back to its default: page 1, 25
/// rows, by ID ascending; defaults are left out of the URL.
/// </summary>
internal sealed record GridUrlState(int Page, int Size, string Sort, bool Descending)
{
    public const string IdSort = "id";
    public const string LastChangeSort = "change";
    public const int DefaultSize = 25;

    /// <summary>The page sizes the pager offers.</summary>
    public static readonly int[] Sizes = [10, 25, 50, 100];

    public static GridUrlState Default { get; } = new(0, DefaultSize, IdSort, false);

    /// <summary>Reads the state from a query string (with or without '?'); <paramref name="canSort"/> says which sort names exist.</summary>
    public static GridUrlState Parse(string query, Func<string, bool> canSort)
    {
        ArgumentNullException.ThrowIfNull(canSort);
        var values = QueryHelpers.ParseQuery(query);
        var page = values.TryGetValue("page", out var p) && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
            ? number - 1
            : 0;
        var size = values.TryGetValue("size", out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) && Sizes.Contains(rows)
            ? rows
            : DefaultSize;
        var sort = values.TryGetValue("sort", out var o) ? o.ToString() : "";
        var descending = sort.StartsWith('-');
        var name = descending ? sort[1..] : sort;
        return name.Length > 0 && (name is IdSort or LastChangeSort || canSort(name))
            ? new GridUrlState(page, size, name, descending)
            : new GridUrlState(page, size, IdSort, false);
    }

    /// <summary>The query parameters for <c>NavigationManager.GetUriWithQueryParameters</c>: null removes a default.</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["page"] = Page == 0 ? null : (Page + 1).ToString(CultureInfo.InvariantCulture),
        ["size"] = Size == DefaultSize ? null : Size.ToString(CultureInfo.InvariantCulture),
        ["sort"] = Sort == IdSort && !Descending ? null : (Descending ? "-" : "") + Sort,
    };
}
