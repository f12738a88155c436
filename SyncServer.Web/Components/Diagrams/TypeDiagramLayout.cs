using System.Globalization;
using SyncServer.Core.Model;

namespace SyncServer.Web.Components.Diagrams;

/// <summary>
/// Where the type-dependency diagram draws its boxes and arrows: one box per entity on a grid (about as many columns as
/// rows), one arrow per relation: a to-one relation property (<see cref="ModelProperty.RelationTarget"/>) and a standalone
/// to-many relation (<see cref="ModelEntity.Relations"/>), from the entity that holds it to its target, ending on the
/// target box's border. A relation of an entity to itself is a loop on the box's right side. Pure geometry: the
/// markup is <c>TypeDiagram.razor</c>.
/// </summary>
internal sealed record TypeDiagramLayout(double Width, double Height, IReadOnlyList<DiagramNode> Nodes, IReadOnlyList<DiagramEdge> Edges)
{
    public const double BoxWidth = 170;
    public const double HeaderHeight = 26;
    public const double LineHeight = 17;
    private const double GapX = 110;
    private const double GapY = 70;
    private const double Margin = 20;

    public static TypeDiagramLayout For(ObjectBoxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entities = model.Entities;
        var columns = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(entities.Count)));
        var rows = (entities.Count + columns - 1) / columns;
        var heights = entities.Select(e => HeaderHeight + (Lines(e).Count * LineHeight) + 8).ToList();
        var rowHeights = Enumerable.Range(0, rows).Select(r => heights.Skip(r * columns).Take(columns).DefaultIfEmpty(HeaderHeight).Max()).ToList();

        var nodes = new List<DiagramNode>();
        for (var i = 0; i < entities.Count; i++)
        {
            var row = i / columns;
            var x = Margin + ((i % columns) * (BoxWidth + GapX));
            var y = Margin + rowHeights.Take(row).Sum(h => h + GapY);
            nodes.Add(new DiagramNode(entities[i].Name, x, y, BoxWidth, heights[i], Lines(entities[i])));
        }

        var byName = nodes.ToDictionary(n => n.Entity, StringComparer.Ordinal);
        var edges = new List<DiagramEdge>();
        foreach (var entity in entities)
        {
            var from = byName[entity.Name];
            foreach (var property in entity.Properties.Where(p => p.RelationTarget is not null))
            {
                if (byName.TryGetValue(property.RelationTarget!, out var to))
                {
                    edges.Add(Edge(from, to, property.Name, DiagramEdgeKind.ToOne));
                }
            }

            foreach (var relation in entity.Relations)
            {
                if (model.FindEntityByUid(relation.TargetId.Uid) is { } target)
                {
                    edges.Add(Edge(from, byName[target.Name], relation.Name, DiagramEdgeKind.ToMany));
                }
            }
        }

        var width = (Margin * 2) + (Math.Min(columns, Math.Max(1, entities.Count)) * (BoxWidth + GapX)) - GapX + 60;
        var height = (Margin * 2) + rowHeights.Sum() + (Math.Max(0, rows - 1) * GapY);
        return new TypeDiagramLayout(width, Math.Max(height, 60), nodes, edges);
    }

    // The lines under an entity's name: its relations, the way they are drawn.
    private static List<string> Lines(ModelEntity entity) =>
    [
        .. entity.Properties.Where(p => p.RelationTarget is not null).Select(p => $"{p.Name} → {p.RelationTarget}"),
        .. entity.Relations.Select(r => $"{r.Name} ⇉ many"),
    ];

    private static DiagramEdge Edge(DiagramNode from, DiagramNode to, string name, DiagramEdgeKind kind)
    {
        var id = $"{from.Entity}.{name}";
        if (ReferenceEquals(from, to))
        {
            // A loop out of the right side and back in a little lower.
            var x = from.X + from.Width;
            var y1 = from.Y + 8;
            var y2 = from.Y + from.Height - 8;
            var path = Invariant($"M {x} {y1} C {x + 50} {y1 - 10}, {x + 50} {y2 + 10}, {x} {y2}");
            return new DiagramEdge(id, name, from.Entity, to.Entity, kind, path, x + 44, (y1 + y2) / 2);
        }

        var (sx, sy) = Border(from, to.CenterX, to.CenterY);
        var (ex, ey) = Border(to, from.CenterX, from.CenterY);
        return new DiagramEdge(id, name, from.Entity, to.Entity, kind, Invariant($"M {sx} {sy} L {ex} {ey}"), (sx + ex) / 2, ((sy + ey) / 2) - 4);
    }

    // Where the line from the box's centre towards (x, y) leaves the box.
    private static (double X, double Y) Border(DiagramNode box, double x, double y)
    {
        var dx = x - box.CenterX;
        var dy = y - box.CenterY;
        if (dx == 0 && dy == 0)
        {
            return (box.CenterX, box.CenterY);
        }

        var scale = Math.Min(
            dx == 0 ? double.MaxValue : box.Width / 2 / Math.Abs(dx),
            dy == 0 ? double.MaxValue : box.Height / 2 / Math.Abs(dy));
        return (Math.Round(box.CenterX + (dx * scale), 1), Math.Round(box.CenterY + (dy * scale), 1));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
