namespace SyncServer.Web.Formatting;

/// <summary>A property value ready to show: <see cref="Text"/> always, the rest by <see cref="Kind"/>.</summary>
/// <param name="Text">What the cell shows (abbreviated for vectors).</param>
/// <param name="FullText">The whole value, for vectors (shown on demand).</param>
/// <param name="Href">For relations: the target object's page.</param>
/// <param name="ImageDataUrl">For images: a data: URL for the preview.</param>
public sealed record CellValue(CellKind Kind, string Text, string? FullText = null, string? Href = null, string? ImageDataUrl = null)
{
    public static readonly CellValue Empty = new(CellKind.Empty, "");
}
