using System.Security.Cryptography;
using System.Text.Json;

namespace SyncServer.Core.Model;

/// <summary>
/// A fingerprint of a model's meaning: lowercase hex SHA-256 of a canonical JSON form. Two files that differ only in
/// whitespace, key order, entity/property/relation order, "_note" keys, "" vs "0:0", the order of retired UIDs, or the
/// generator counters ("version", "modelVersion", "modelVersionParserMinimum") have the same hash; any other change
/// gives a different one. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Canonical form (compact JSON, keys in this order, every key always written, null when absent; flags and type 0
/// when absent); the complete rules, with a worked example a test checks, are in docs/schema.md:
/// <code>
/// {"entities":[ sorted by ID
///   {"id":"1:123","name":"Task","flags":2,"lastPropertyId":"8:456","externalName":null,
///    "properties":[ sorted by ID
///      {"id":..,"name":..,"type":9,"flags":0,"indexId":"0:0","relationTarget":null,"externalName":null,
///       "externalType":null,"hnswParams":null | {"dimensions":..,"neighborsPerNode":..,"indexingSearchCount":..,
///       "flags":..,"distanceType":..,"reparationBacklinkProbability":..,"vectorCacheHintSizeKb":..}}],
///    "relations":[ sorted by ID {"id":..,"name":..,"targetId":..,"externalName":..,"externalType":..}]}],
///  "lastEntityId":..,"lastIndexId":..,"lastRelationId":..,"lastSequenceId":..,
///  "retiredEntityUids":[sorted, distinct],"retiredPropertyUids":[..],"retiredIndexUids":[..],"retiredRelationUids":[..]}
/// </code>
/// Changing this form changes every stored hash: treat it as a format.
/// </remarks>
public static class ModelHash
{
    public static string Compute(ObjectBoxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Convert.ToHexStringLower(SHA256.HashData(CanonicalJson(model)));
    }

    /// <summary>The UTF-8 bytes that are hashed; see the class remarks.</summary>
    internal static byte[] CanonicalJson(ObjectBoxModel model)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("entities");
            foreach (var entity in model.Entities.OrderBy(e => e.Id.Id).ThenBy(e => e.Id.Uid))
            {
                WriteEntity(writer, entity);
            }

            writer.WriteEndArray();
            var metadata = model.Metadata;
            writer.WriteString("lastEntityId", metadata.LastEntityId.ToString());
            writer.WriteString("lastIndexId", metadata.LastIndexId.ToString());
            writer.WriteString("lastRelationId", metadata.LastRelationId.ToString());
            writer.WriteString("lastSequenceId", metadata.LastSequenceId.ToString());
            WriteUids(writer, "retiredEntityUids", metadata.RetiredEntityUids);
            WriteUids(writer, "retiredPropertyUids", metadata.RetiredPropertyUids);
            WriteUids(writer, "retiredIndexUids", metadata.RetiredIndexUids);
            WriteUids(writer, "retiredRelationUids", metadata.RetiredRelationUids);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteEntity(Utf8JsonWriter writer, ModelEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("id", entity.Id.ToString());
        writer.WriteString("name", entity.Name);
        writer.WriteNumber("flags", (uint)entity.Flags);
        writer.WriteString("lastPropertyId", entity.LastPropertyId.ToString());
        WriteNullable(writer, "externalName", entity.ExternalName);
        writer.WriteStartArray("properties");
        foreach (var property in entity.Properties.OrderBy(p => p.Id.Id).ThenBy(p => p.Id.Uid))
        {
            WriteProperty(writer, property);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("relations");
        foreach (var relation in entity.Relations.OrderBy(r => r.Id.Id).ThenBy(r => r.Id.Uid))
        {
            writer.WriteStartObject();
            writer.WriteString("id", relation.Id.ToString());
            writer.WriteString("name", relation.Name);
            writer.WriteString("targetId", relation.TargetId.ToString());
            WriteNullable(writer, "externalName", relation.ExternalName);
            WriteNullable(writer, "externalType", relation.ExternalType);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteProperty(Utf8JsonWriter writer, ModelProperty property)
    {
        writer.WriteStartObject();
        writer.WriteString("id", property.Id.ToString());
        writer.WriteString("name", property.Name);
        writer.WriteNumber("type", (byte)property.Type);
        writer.WriteNumber("flags", (uint)property.Flags);
        writer.WriteString("indexId", property.IndexId.ToString());
        WriteNullable(writer, "relationTarget", property.RelationTarget);
        WriteNullable(writer, "externalName", property.ExternalName);
        WriteNullable(writer, "externalType", property.ExternalType);
        if (property.Hnsw is { } hnsw)
        {
            writer.WriteStartObject("hnswParams");
            writer.WriteNumber("dimensions", hnsw.Dimensions);
            WriteNullable(writer, "neighborsPerNode", hnsw.NeighborsPerNode);
            WriteNullable(writer, "indexingSearchCount", hnsw.IndexingSearchCount);
            WriteNullable(writer, "flags", hnsw.Flags);
            WriteNullable(writer, "distanceType", hnsw.DistanceType);
            if (hnsw.ReparationBacklinkProbability is { } probability)
            {
                writer.WriteNumber("reparationBacklinkProbability", probability);
            }
            else
            {
                writer.WriteNull("reparationBacklinkProbability");
            }

            WriteNullable(writer, "vectorCacheHintSizeKb", hnsw.VectorCacheHintSizeKb);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("hnswParams");
        }

        writer.WriteEndObject();
    }

    private static void WriteUids(Utf8JsonWriter writer, string name, IReadOnlyList<ulong> uids)
    {
        writer.WriteStartArray(name);
        foreach (var uid in uids.Distinct().Order())
        {
            writer.WriteNumberValue(uid);
        }

        writer.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, ulong? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
