using SyncServer.Core.Model;

namespace SyncServer.Engine.Schema;

// Properties of an entity present in both models, and standalone relations.
public static partial class SchemaDiff
{
    private static void CompareProperties(DiffContext context, ModelEntity before, ModelEntity after)
    {
        var afterByUid = after.Properties.GroupBy(p => p.Id.Uid).ToDictionary(g => g.Key, g => g.First());
        var beforeByUid = before.Properties.GroupBy(p => p.Id.Uid).ToDictionary(g => g.Key, g => g.First());

        foreach (var removed in before.Properties.OrderBy(p => p.Id.Id))
        {
            if (afterByUid.ContainsKey(removed.Id.Uid))
            {
                continue;
            }

            var location = $"{after.Name}.{removed.Name}";
            var uid = removed.Id.Uid;
            if (context.Next.Metadata.RetiredPropertyUids.Contains(uid))
            {
                context.Add(SchemaChangeKind.PropertyRemoved, location, $"property \"{location}\" removed (UID {uid} retired)", false);
            }
            else
            {
                context.Add(
                    SchemaChangeKind.PropertyRemoved,
                    location,
                    $"property \"{location}\" removed without retiring its UID {uid} in retiredPropertyUids",
                    true);
            }
        }

        foreach (var property in after.Properties.OrderBy(p => p.Id.Id))
        {
            if (beforeByUid.TryGetValue(property.Id.Uid, out var old))
            {
                CompareProperty(context, after, old, property);
            }
            else if (!CheckRetiredReuse(context, after, property))
            {
                var location = $"{after.Name}.{property.Name}";
                context.Add(SchemaChangeKind.PropertyAdded, location, $"property \"{location}\" added", false);
            }
        }
    }

    private static void CompareProperty(DiffContext context, ModelEntity entity, ModelProperty before, ModelProperty after)
    {
        var location = $"{entity.Name}.{after.Name}";
        void Changed(string description, bool breaking) =>
            context.Add(SchemaChangeKind.PropertyChanged, location, $"property \"{location}\" {description}", breaking);

        if (before.Name != after.Name)
        {
            context.Add(
                SchemaChangeKind.PropertyRenamed,
                location,
                $"property \"{entity.Name}.{before.Name}\" renamed to \"{after.Name}\"",
                false);
        }

        if (before.Id.Id != after.Id.Id)
        {
            Changed($"ID changed from {before.Id.Id} to {after.Id.Id} with the same UID {after.Id.Uid}", true);
        }

        if (before.Type != after.Type)
        {
            Changed($"type changed from {before.Type} to {after.Type}", true);
        }

        if (before.IsIdProperty != after.IsIdProperty)
        {
            Changed($"ID flag turned {OnOff(after.IsIdProperty)}", true);
        }

        var unsigned = after.Flags.HasFlag(PropertyFlags.Unsigned);
        if (before.Flags.HasFlag(PropertyFlags.Unsigned) != unsigned)
        {
            Changed($"UNSIGNED flag turned {OnOff(unsigned)}; stored values would be read differently", true);
        }

        const PropertyFlags ruled = PropertyFlags.Id | PropertyFlags.Unsigned;
        if ((before.Flags & ~ruled) != (after.Flags & ~ruled))
        {
            Changed($"flags changed from {FormatFlags(before.Flags)} to {FormatFlags(after.Flags)}", false);
        }

        CompareIndex(context, location, before.IndexId, after.IndexId);

        if (before.RelationTarget != after.RelationTarget)
        {
            // A renamed target entity changes the name but not the target: compare what the names point at.
            var beforeTarget = before.RelationTarget is null ? null : context.Current.FindEntity(before.RelationTarget);
            var afterTarget = after.RelationTarget is null ? null : context.Next.FindEntity(after.RelationTarget);
            if (beforeTarget is null || afterTarget is null || beforeTarget.Id.Uid != afterTarget.Id.Uid)
            {
                Changed($"relationTarget changed from {Quote(before.RelationTarget)} to {Quote(after.RelationTarget)}", true);
            }
        }

        if (before.ExternalName != after.ExternalName)
        {
            Changed($"externalName changed from {Quote(before.ExternalName)} to {Quote(after.ExternalName)}", false);
        }

        if (before.ExternalType != after.ExternalType)
        {
            Changed($"externalType changed from {OrNone(before.ExternalType)} to {OrNone(after.ExternalType)}", false);
        }

        if (before.Hnsw != after.Hnsw)
        {
            Changed("vector index parameters (hnswParams) changed", false);
        }
    }

    private static void CompareIndex(DiffContext context, string location, IdUid before, IdUid after)
    {
        if (before == after)
        {
            return;
        }

        if (!after.IsEmpty && context.RetiredInCurrent.Contains(after.Uid))
        {
            context.Add(
                SchemaChangeKind.PropertyChanged,
                location,
                $"property \"{location}\" index uses UID {after.Uid}, which the current model retired; a retired UID must never come back",
                true);
        }
        else if (before.IsEmpty)
        {
            context.Add(SchemaChangeKind.PropertyChanged, location, $"property \"{location}\" index added ({after})", false);
        }
        else if (after.IsEmpty)
        {
            context.Add(SchemaChangeKind.PropertyChanged, location, $"property \"{location}\" index removed ({before})", false);
        }
        else if (before.Uid == after.Uid)
        {
            context.Add(
                SchemaChangeKind.PropertyChanged,
                location,
                $"property \"{location}\" index ID changed from {before.Id} to {after.Id} with the same UID {after.Uid}",
                true);
        }
        else
        {
            context.Add(SchemaChangeKind.PropertyChanged, location, $"property \"{location}\" index replaced ({before} by {after})", false);
        }
    }

    /// <summary>A new property (or its index) using a UID the current model retired: breaking. True when reported.</summary>
    private static bool CheckRetiredReuse(DiffContext context, ModelEntity entity, ModelProperty property)
    {
        var location = $"{entity.Name}.{property.Name}";
        if (context.RetiredInCurrent.Contains(property.Id.Uid))
        {
            context.Add(
                SchemaChangeKind.PropertyAdded,
                location,
                $"property \"{location}\" added with UID {property.Id.Uid}, which the current model retired; a retired UID must never come back",
                true);
            return true;
        }

        if (!property.IndexId.IsEmpty && context.RetiredInCurrent.Contains(property.IndexId.Uid))
        {
            context.Add(
                SchemaChangeKind.PropertyAdded,
                location,
                $"property \"{location}\" added with index UID {property.IndexId.Uid}, which the current model retired; a retired UID must never come back",
                true);
            return true;
        }

        return false;
    }

    private static void CompareRelations(DiffContext context)
    {
        var before = RelationsByUid(context.Current);
        var after = RelationsByUid(context.Next);

        foreach (var (uid, (owner, relation)) in before)
        {
            // Relations of a removed entity go with it.
            if (after.ContainsKey(uid) || context.Next.FindEntityByUid(owner.Id.Uid) is null)
            {
                continue;
            }

            var location = $"{owner.Name}.{relation.Name}";
            if (context.Next.Metadata.RetiredRelationUids.Contains(uid))
            {
                context.Add(SchemaChangeKind.RelationRemoved, location, $"relation \"{location}\" removed (UID {uid} retired)", false);
            }
            else
            {
                context.Add(
                    SchemaChangeKind.RelationRemoved,
                    location,
                    $"relation \"{location}\" removed without retiring its UID {uid} in retiredRelationUids",
                    true);
            }
        }

        foreach (var (uid, (owner, relation)) in after)
        {
            var location = $"{owner.Name}.{relation.Name}";
            if (before.TryGetValue(uid, out var old))
            {
                CompareRelation(context, location, old.Owner, old.Relation, owner, relation);
            }
            else if (context.RetiredInCurrent.Contains(uid))
            {
                context.Add(
                    SchemaChangeKind.RelationAdded,
                    location,
                    $"relation \"{location}\" added with UID {uid}, which the current model retired; a retired UID must never come back",
                    true);
            }
            else if (context.Current.FindEntityByUid(owner.Id.Uid) is not null)
            {
                // On a new entity the relation is part of "entity added".
                context.Add(
                    SchemaChangeKind.RelationAdded,
                    location,
                    $"relation \"{location}\" to \"{TargetName(context.Next, relation)}\" added",
                    false);
            }
        }
    }

    private static void CompareRelation(
        DiffContext context, string location, ModelEntity beforeOwner, ModelRelation before, ModelEntity afterOwner, ModelRelation after)
    {
        void Changed(string description, bool breaking) =>
            context.Add(SchemaChangeKind.RelationChanged, location, $"relation \"{location}\" {description}", breaking);

        if (before.Name != after.Name)
        {
            context.Add(
                SchemaChangeKind.RelationChanged,
                location,
                $"relation \"{afterOwner.Name}.{before.Name}\" renamed to \"{after.Name}\"",
                false);
        }

        if (before.Id.Id != after.Id.Id)
        {
            Changed($"ID changed from {before.Id.Id} to {after.Id.Id} with the same UID {after.Id.Uid}", true);
        }

        if (beforeOwner.Id.Uid != afterOwner.Id.Uid)
        {
            Changed($"moved from entity \"{beforeOwner.Name}\" to \"{afterOwner.Name}\"", true);
        }

        if (before.TargetId.Uid != after.TargetId.Uid)
        {
            Changed($"target changed from \"{TargetName(context.Current, before)}\" to \"{TargetName(context.Next, after)}\"", true);
        }

        if (before.ExternalName != after.ExternalName)
        {
            Changed($"externalName changed from {Quote(before.ExternalName)} to {Quote(after.ExternalName)}", false);
        }

        if (before.ExternalType != after.ExternalType)
        {
            Changed($"externalType changed from {OrNone(before.ExternalType)} to {OrNone(after.ExternalType)}", false);
        }
    }

    private static SortedDictionary<ulong, (ModelEntity Owner, ModelRelation Relation)> RelationsByUid(ObjectBoxModel model)
    {
        var result = new SortedDictionary<ulong, (ModelEntity, ModelRelation)>();
        foreach (var entity in model.Entities)
        {
            foreach (var relation in entity.Relations)
            {
                result.TryAdd(relation.Id.Uid, (entity, relation));
            }
        }

        return result;
    }

    private static string TargetName(ObjectBoxModel model, ModelRelation relation) =>
        model.FindEntityByUid(relation.TargetId.Uid)?.Name ?? relation.TargetId.ToString();
}
