namespace SyncServer.Web.Components.Diagrams;

/// <summary>A to-one relation property, or a standalone to-many relation.</summary>
internal enum DiagramEdgeKind
{
    ToOne,
    ToMany,
}
