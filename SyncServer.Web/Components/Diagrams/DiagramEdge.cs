namespace SyncServer.Web.Components.Diagrams;

/// <summary>One relation's arrow: an SVG path from the holder's box to the target's, and where its label goes.</summary>
internal sealed record DiagramEdge(string Id, string Name, string From, string To, DiagramEdgeKind Kind, string Path, double LabelX, double LabelY);
