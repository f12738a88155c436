namespace SyncServer.Engine.Schema;

/// <summary>What a <see cref="SchemaChange"/> is about.</summary>
public enum SchemaChangeKind
{
    EntityAdded,
    EntityRemoved,
    EntityRenamed,
    /// <summary>Same entity UID, something else changed: ID, flags, externalName, lastPropertyId going down.</summary>
    EntityChanged,
    PropertyAdded,
    PropertyRemoved,
    PropertyRenamed,
    /// <summary>Same property UID, something else changed: ID, type, flags, index, relationTarget, external name/type.</summary>
    PropertyChanged,
    RelationAdded,
    RelationRemoved,
    /// <summary>Same standalone relation UID, something else changed: ID, name, owner, target, external name/type.</summary>
    RelationChanged,
    /// <summary>The model's own bookkeeping: last IDs going down.</summary>
    ModelChanged,

    /// <summary>A configured sync filter does not fit the model (an unknown property, a type mismatch): never allowed.</summary>
    SyncFilterInvalid,
}
