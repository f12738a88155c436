namespace SyncServer.Engine.Schema;

/// <summary>
/// One difference between two models, as found by <see cref="SchemaDiff.Compare"/>.
/// </summary>
/// <param name="Kind">What changed.</param>
/// <param name="Location">Where: <c>Note</c> for an entity, <c>Note.title</c> for a property or relation, <c>model</c>.</param>
/// <param name="Description">For people: <c>property "Note.title" type changed from String to Long</c>.</param>
/// <param name="IsBreaking">
/// True when devices or stored data built for the current model cannot follow the change (see docs/schema.md).
/// </param>
public sealed record SchemaChange(SchemaChangeKind Kind, string Location, string Description, bool IsBreaking)
{
    public override string ToString() => IsBreaking ? $"{Description} (breaking)" : Description;
}
