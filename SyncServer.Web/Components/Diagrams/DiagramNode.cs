namespace SyncServer.Web.Components.Diagrams;

/// <summary>One entity's box; <see cref="Lines"/> are its relations under the name.</summary>
internal sealed record DiagramNode(string Entity, double X, double Y, double Width, double Height, IReadOnlyList<string> Lines)
{
    public double CenterX => X + (Width / 2);

    public double CenterY => Y + (Height / 2);
}
