using System.Globalization;
using System.Text.Json;

namespace SyncServer.Core.Model;

// Reading entities, their properties and standalone relations. Checks here are local to one object
// (kinds, formats, required keys, zero IDs, type codes); checks across objects are in ModelValidator.
public static partial class ModelJsonReader
{
    private static ModelEntity? ReadEntity(JsonElement element, int index, List<ModelError> errors, ModelLocations locations)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ModelError(ModelLocations.Entity(index, null), $"must be an object, got {JsonFields.Describe(element)}"));
            return null;
        }

        var location = ModelLocations.Entity(index, PeekString(element, "name"));
        var fields = new JsonFields(element, location, errors);
        var id = fields.NonZeroIdUid("id");
        var name = fields.Name();
        var flags = fields.UInt32("flags");
        var lastPropertyId = fields.OptionalIdUid("lastPropertyId");
        var externalName = fields.String("externalName");

        var properties = new List<ModelProperty>();
        if (fields.Array("properties", required: true) is { } propertyArray)
        {
            var propertyIndex = 0;
            foreach (var item in propertyArray.EnumerateArray())
            {
                if (ReadProperty(item, location, propertyIndex, errors, locations) is { } property)
                {
                    properties.Add(property);
                }

                propertyIndex++;
            }
        }

        var relations = new List<ModelRelation>();
        if (fields.Array("relations") is { } relationArray)
        {
            var relationIndex = 0;
            foreach (var item in relationArray.EnumerateArray())
            {
                if (ReadRelation(item, location, relationIndex, errors, locations) is { } relation)
                {
                    relations.Add(relation);
                }

                relationIndex++;
            }
        }

        var entity = new ModelEntity(
            id ?? IdUid.Empty,
            name ?? string.Empty,
            (EntityFlags)(flags ?? 0),
            lastPropertyId ?? IdUid.Empty,
            properties,
            relations,
            externalName);
        locations.Add(entity, location);
        return entity;
    }

    private static ModelProperty? ReadProperty(
        JsonElement element, string entityLocation, int index, List<ModelError> errors, ModelLocations locations)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ModelError(
                ModelLocations.Property(entityLocation, index, null, null),
                $"must be an object, got {JsonFields.Describe(element)}"));
            return null;
        }

        var location = ModelLocations.Property(entityLocation, index, PeekString(element, "name"), PeekId(element));
        var fields = new JsonFields(element, location, errors);
        var id = fields.NonZeroIdUid("id");
        var name = fields.Name();

        // Some old Swift generators wrote no "type": such a property is kept as Unknown.
        var type = PropertyType.Unknown;
        if (fields.UInt32("type") is { } code)
        {
            if (code is > 0 and <= byte.MaxValue && Enum.IsDefined((PropertyType)code))
            {
                type = (PropertyType)code;
            }
            else
            {
                errors.Add(new ModelError(location, string.Create(CultureInfo.InvariantCulture, $"unknown property type {code}")));
            }
        }

        var property = new ModelProperty
        {
            Id = id ?? IdUid.Empty,
            Name = name ?? string.Empty,
            Type = type,
            Flags = (PropertyFlags)(fields.UInt32("flags") ?? 0),
            IndexId = fields.OptionalIdUid("indexId") ?? IdUid.Empty,
            RelationTarget = fields.String("relationTarget"),
            ExternalName = fields.String("externalName"),
            ExternalType = fields.Int32("externalType"),
            Hnsw = fields.Object("hnswParams") is { } hnsw ? ReadHnswParams(hnsw, location, errors) : null,
        };
        locations.Add(property, location);
        return property;
    }

    private static ModelRelation? ReadRelation(
        JsonElement element, string entityLocation, int index, List<ModelError> errors, ModelLocations locations)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ModelError(
                ModelLocations.Relation(entityLocation, index, null, null),
                $"must be an object, got {JsonFields.Describe(element)}"));
            return null;
        }

        var location = ModelLocations.Relation(entityLocation, index, PeekString(element, "name"), PeekId(element));
        var fields = new JsonFields(element, location, errors);
        var relation = new ModelRelation
        {
            Id = fields.NonZeroIdUid("id") ?? IdUid.Empty,
            Name = fields.Name() ?? string.Empty,
            TargetId = fields.NonZeroIdUid("targetId") ?? IdUid.Empty,
            ExternalName = fields.String("externalName"),
            ExternalType = fields.Int32("externalType"),
        };
        locations.Add(relation, location);
        return relation;
    }

    /// <summary>
    /// "hnswParams" of a vector property. Dart writes camelCase keys and the distance type as a number; the Go/C
    /// generator writes kebab-case keys and the distance type as a name. Both are read; a numeric distance type is kept
    /// as its decimal text.
    /// </summary>
    private static HnswParams? ReadHnswParams(JsonElement element, string propertyLocation, List<ModelError> errors)
    {
        var fields = new JsonFields(element, $"{propertyLocation} hnswParams", errors);
        var dimensions = fields.UInt64("dimensions");
        if (dimensions is null && !fields.Has("dimensions"))
        {
            fields.Report("dimensions", "is missing");
        }
        else if (dimensions == 0)
        {
            fields.Report("dimensions", "must be 1 or more");
        }

        string? distanceType = null;
        var distanceKey = fields.KeyOf("distanceType", "distance-type");
        switch (PeekKind(element, distanceKey))
        {
            case JsonValueKind.Number:
                distanceType = fields.UInt32(distanceKey)?.ToString(CultureInfo.InvariantCulture);
                break;
            case JsonValueKind.String:
                distanceType = fields.String(distanceKey);
                break;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                break;
            default:
                fields.Report(distanceKey, $"must be a name or a number, got {JsonFields.Describe(element.GetProperty(distanceKey))}");
                break;
        }

        var result = new HnswParams
        {
            Dimensions = dimensions ?? 0,
            NeighborsPerNode = fields.UInt32(fields.KeyOf("neighborsPerNode", "neighbors-per-node")),
            IndexingSearchCount = fields.UInt32(fields.KeyOf("indexingSearchCount", "indexing-search-count")),
            Flags = fields.UInt32("flags"),
            DistanceType = distanceType,
            ReparationBacklinkProbability = fields.Single(
                fields.KeyOf("reparationBacklinkProbability", "reparation-backlink-probability")),
            VectorCacheHintSizeKb = fields.UInt64(fields.KeyOf("vectorCacheHintSizeKB", "vector-cache-hint-size-kb")),
        };
        return dimensions is null ? null : result;
    }

    // The first occurrence, as JsonFields keeps it (TryGetProperty would find the last of duplicate keys).
    private static string? PeekString(JsonElement element, string key)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (member.NameEquals(key))
            {
                return member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
            }
        }

        return null;
    }

    private static uint? PeekId(JsonElement element) =>
        IdUid.TryParse(PeekString(element, "id"), out var id) && !id.IsEmpty ? id.Id : null;

    private static JsonValueKind PeekKind(JsonElement element, string key) =>
        element.TryGetProperty(key, out var value) ? value.ValueKind : JsonValueKind.Undefined;
}
