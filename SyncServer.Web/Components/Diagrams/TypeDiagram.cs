using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using SyncServer.Core.Model;

namespace SyncServer.Web.Components.Diagrams;

/// <summary>
/// The Schema page's type-dependency diagram, drawn on the server as SVG (<see cref="TypeDiagramLayout"/>): a box per
/// entity, an arrow per relation (solid: to-one property; dashed with a double head: standalone to-many). Colours come
/// from the theme's CSS variables (app.css, <c>.type-diagram</c>), so it reads in light and dark mode. Written as a render
/// tree rather than Razor markup because Razor reserves the SVG <c>text</c> element.
/// </summary>
public sealed class TypeDiagram : ComponentBase
{
    private TypeDiagramLayout _layout = new(0, 0, [], []);

    [Parameter, EditorRequired]
    public ObjectBoxModel Model { get; set; } = default!;

    protected override void OnParametersSet() => _layout = TypeDiagramLayout.For(Model);

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "type-diagram-scroll");
        builder.OpenElement(2, "svg");
        builder.AddAttribute(3, "class", "type-diagram");
        builder.AddAttribute(4, "data-testid", "type-diagram");
        builder.AddAttribute(5, "role", "img");
        builder.AddAttribute(6, "aria-label", "Entities and their relations");
        builder.AddAttribute(7, "width", N(_layout.Width));
        builder.AddAttribute(8, "height", N(_layout.Height));
        builder.AddAttribute(9, "viewBox", $"0 0 {N(_layout.Width)} {N(_layout.Height)}");
        builder.AddMarkupContent(10, """
            <defs>
            <marker id="type-diagram-one" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" /></marker>
            <marker id="type-diagram-many" viewBox="0 0 16 10" refX="16" refY="5" markerWidth="12" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 8 5 L 0 10 z M 8 0 L 16 5 L 8 10 z" class="arrow-head" /></marker>
            </defs>
            """);
        foreach (var node in _layout.Nodes)
        {
            builder.OpenElement(11, "g");
            builder.SetKey(node.Entity);
            builder.AddAttribute(12, "class", "node");
            builder.AddAttribute(13, "data-testid", $"node-{node.Entity}");
            builder.OpenElement(14, "rect");
            builder.AddAttribute(15, "x", N(node.X));
            builder.AddAttribute(16, "y", N(node.Y));
            builder.AddAttribute(17, "width", N(node.Width));
            builder.AddAttribute(18, "height", N(node.Height));
            builder.AddAttribute(19, "rx", "6");
            builder.CloseElement();
            Text(builder, "node-name", node.CenterX, node.Y + 18, node.Entity, middle: true);
            for (var i = 0; i < node.Lines.Count; i++)
            {
                Text(builder, "node-line", node.X + 10, node.Y + TypeDiagramLayout.HeaderHeight + 12 + (i * TypeDiagramLayout.LineHeight), node.Lines[i], middle: false);
            }

            builder.CloseElement();
        }

        foreach (var edge in _layout.Edges)
        {
            var kind = edge.Kind == DiagramEdgeKind.ToOne ? "to-one" : "to-many";
            builder.OpenElement(20, "g");
            builder.SetKey(edge.Id);
            builder.AddAttribute(21, "class", edge.Kind == DiagramEdgeKind.ToOne ? "edge edge-one" : "edge edge-many");
            builder.AddAttribute(22, "data-testid", $"edge-{edge.Id}");
            builder.AddAttribute(23, "data-from", edge.From);
            builder.AddAttribute(24, "data-to", edge.To);
            builder.AddAttribute(25, "data-kind", kind);
            builder.OpenElement(26, "title");
            builder.AddContent(27, $"{edge.Id} → {edge.To} ({kind})");
            builder.CloseElement();
            builder.OpenElement(28, "path");
            builder.AddAttribute(29, "d", edge.Path);
            builder.AddAttribute(30, "fill", "none");
            builder.AddAttribute(31, "marker-end", edge.Kind == DiagramEdgeKind.ToOne ? "url(#type-diagram-one)" : "url(#type-diagram-many)");
            builder.CloseElement();
            Text(builder, "edge-label", edge.LabelX, edge.LabelY, edge.Name, middle: true);
            builder.CloseElement();
        }

        builder.CloseElement();
        builder.CloseElement();
    }

    private static void Text(RenderTreeBuilder builder, string cssClass, double x, double y, string content, bool middle)
    {
        builder.OpenElement(40, "text");
        builder.AddAttribute(41, "class", cssClass);
        builder.AddAttribute(42, "x", N(x));
        builder.AddAttribute(43, "y", N(y));
        if (middle)
        {
            builder.AddAttribute(44, "text-anchor", "middle");
        }

        builder.AddContent(45, content);
        builder.CloseElement();
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
