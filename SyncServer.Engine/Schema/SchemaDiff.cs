using System.Globalization;
using SyncServer.Core.Model;

namespace SyncServer.Engine.Schema;

/// <summary>
/// Compares two models the way ObjectBox matches them: entities by UID, properties by UID within their entity,
/// standalone relations by UID. Names are labels; renaming is harmless. The rules for what breaks are in docs/schema.md.
/// Stateless and thread-safe.
/// </summary>
public static partial class SchemaDiff
{
    private const string ModelLocation = "model";

    /// <summary>
    /// What changes from <paramref name="current"/> to <paramref name="next"/>; empty when they mean the same.
    /// Bookkeeping that only moves forward (last IDs going up, new retired UIDs) is not listed; use
    /// <see cref="ObjectBoxModel.Hash"/> to tell whether two models differ at all.
    /// </summary>
    public static IReadOnlyList<SchemaChange> Compare(ObjectBoxModel current, ObjectBoxModel next)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);

        var changes = new List<SchemaChange>();
        var context = new DiffContext(current, next, changes);
        CompareEntities(context);
        CompareRelations(context);
        CompareLastId(context, "lastEntityId", current.Metadata.LastEntityId, next.Metadata.LastEntityId, "entity");
        CompareLastId(context, "lastIndexId", current.Metadata.LastIndexId, next.Metadata.LastIndexId, "index");
        CompareLastId(context, "lastRelationId", current.Metadata.LastRelationId, next.Metadata.LastRelationId, "relation");
        return changes;
    }

    /// <summary>True when no change is breaking: devices and data of the current model can move to the next one.</summary>
    public static bool IsCompatible(IReadOnlyList<SchemaChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return !changes.Any(change => change.IsBreaking);
    }

    private static void CompareEntities(DiffContext context)
    {
        foreach (var removed in context.Current.Entities.OrderBy(e => e.Id.Id))
        {
            if (context.Next.FindEntityByUid(removed.Id.Uid) is not null)
            {
                continue;
            }

            var uid = removed.Id.Uid;
            if (context.Next.Metadata.RetiredEntityUids.Contains(uid))
            {
                context.Add(SchemaChangeKind.EntityRemoved, removed.Name, $"entity \"{removed.Name}\" removed (UID {uid} retired)", false);
            }
            else
            {
                context.Add(
                    SchemaChangeKind.EntityRemoved,
                    removed.Name,
                    $"entity \"{removed.Name}\" removed without retiring its UID {uid} in retiredEntityUids",
                    true);
            }
        }

        foreach (var entity in context.Next.Entities.OrderBy(e => e.Id.Id))
        {
            var before = context.Current.FindEntityByUid(entity.Id.Uid);
            if (before is null)
            {
                AddEntity(context, entity);
            }
            else
            {
                CompareEntity(context, before, entity);
                CompareProperties(context, before, entity);
            }
        }
    }

    private static void AddEntity(DiffContext context, ModelEntity entity)
    {
        var uid = entity.Id.Uid;
        if (context.RetiredInCurrent.Contains(uid))
        {
            // The entity's properties were most likely retired with it: one change says it all.
            context.Add(
                SchemaChangeKind.EntityAdded,
                entity.Name,
                $"entity \"{entity.Name}\" added with UID {uid}, which the current model retired; a retired UID must never come back",
                true);
            return;
        }

        context.Add(SchemaChangeKind.EntityAdded, entity.Name, $"entity \"{entity.Name}\" added", false);

        // The new entity's properties are part of "entity added"; only a retired UID among them needs saying.
        foreach (var property in entity.Properties.OrderBy(p => p.Id.Id))
        {
            CheckRetiredReuse(context, entity, property);
        }
    }

    private static void CompareEntity(DiffContext context, ModelEntity before, ModelEntity after)
    {
        var name = after.Name;
        if (before.Name != after.Name)
        {
            context.Add(SchemaChangeKind.EntityRenamed, name, $"entity \"{before.Name}\" renamed to \"{after.Name}\"", false);
        }

        if (before.Id.Id != after.Id.Id)
        {
            context.Add(
                SchemaChangeKind.EntityChanged,
                name,
                $"entity \"{name}\" ID changed from {before.Id.Id} to {after.Id.Id} with the same UID {after.Id.Uid}",
                true);
        }

        if (before.HasSharedGlobalIds != after.HasSharedGlobalIds)
        {
            context.Add(
                SchemaChangeKind.EntityChanged,
                name,
                $"entity \"{name}\" SHARED_GLOBAL_IDS flag turned {OnOff(after.HasSharedGlobalIds)}; object IDs would change meaning",
                true);
        }

        if (before.IsSyncEnabled != after.IsSyncEnabled)
        {
            context.Add(SchemaChangeKind.EntityChanged, name, $"entity \"{name}\" sync turned {OnOff(after.IsSyncEnabled)} (SYNC_ENABLED flag)", false);
        }

        const EntityFlags ruled = EntityFlags.SharedGlobalIds | EntityFlags.SyncEnabled;
        if ((before.Flags & ~ruled) != (after.Flags & ~ruled))
        {
            context.Add(
                SchemaChangeKind.EntityChanged,
                name,
                $"entity \"{name}\" flags changed from {FormatFlags(before.Flags)} to {FormatFlags(after.Flags)}",
                false);
        }

        if (before.ExternalName != after.ExternalName)
        {
            context.Add(
                SchemaChangeKind.EntityChanged,
                name,
                $"entity \"{name}\" externalName changed from {Quote(before.ExternalName)} to {Quote(after.ExternalName)}",
                false);
        }

        if (after.LastPropertyId.Id < before.LastPropertyId.Id)
        {
            context.Add(
                SchemaChangeKind.EntityChanged,
                name,
                $"entity \"{name}\" lastPropertyId went down from {before.LastPropertyId.Id} to {after.LastPropertyId.Id}; property IDs could be reused",
                true);
        }
    }

    private static void CompareLastId(DiffContext context, string key, IdUid before, IdUid after, string what)
    {
        if (after.Id < before.Id)
        {
            context.Add(
                SchemaChangeKind.ModelChanged,
                ModelLocation,
                $"{key} went down from {before.Id} to {after.Id}; {what} IDs could be reused",
                true);
        }
    }

    private static string OnOff(bool on) => on ? "on" : "off";

    private static string OrNone(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static string Quote(string? text) => text is null ? "none" : $"\"{text}\"";

    /// <summary><c>40 (Indexed, Unique)</c>; unknown bits show as the number only.</summary>
    private static string FormatFlags<T>(T flags)
        where T : struct, Enum
    {
        var number = Convert.ToUInt64(flags, CultureInfo.InvariantCulture);
        var names = flags.ToString();
        return number == 0 || char.IsDigit(names[0])
            ? number.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{number} ({names})");
    }
}
