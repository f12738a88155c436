using System.Text.Json;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Engine.Data;
using SyncServer.Engine.Schema;

namespace SyncServer.Web.Services;

/// <summary>
/// Writes the JSON export (docs/export.md) straight to a stream from a database snapshot: one object at a time, flushed
/// every <see cref="FlushEvery"/> objects, so memory stays flat whatever the database size. Stateless.
/// </summary>
internal static class ExportWriter
{
    public const string Format = "syncserver-export";
    public const int FormatVersion = 1;
    private const int FlushEvery = 500;

    public static async Task WriteAsync(
        Stream output,
        CurrentSchema schema,
        ObjectSnapshot snapshot,
        IReadOnlyList<ModelEntity> entities,
        DateTimeOffset exportedAt,
        CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = false });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("formatVersion", FormatVersion);
        json.WriteString("exportedAt", exportedAt.UtcDateTime);
        json.WriteNumber("schemaVersion", schema.Version.Id);
        json.WriteString("modelHash", schema.Version.Hash);
        json.WriteNumber("position", snapshot.Position);
        json.WritePropertyName("entities");
        json.WriteStartArray();
        var written = 0;
        foreach (var entity in entities)
        {
            json.WriteStartObject();
            json.WriteString("name", entity.Name);
            json.WriteNumber("uid", entity.Id.Uid);
            json.WritePropertyName("objects");
            json.WriteStartArray();
            foreach (var stored in snapshot.Objects(entity.Id.Uid))
            {
                WriteObject(json, entity, stored);
                if (++written % FlushEvery == 0)
                {
                    await json.FlushAsync(cancellationToken);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WritePropertyName("relations");
        json.WriteStartArray();
        foreach (var entity in entities)
        {
            foreach (var relation in entity.Relations)
            {
                json.WriteStartObject();
                json.WriteString("entity", entity.Name);
                json.WriteString("name", relation.Name);
                json.WriteNumber("uid", relation.Id.Uid);
                json.WritePropertyName("links");
                json.WriteStartArray();
                foreach (var (source, target) in snapshot.Links(relation.Id.Uid))
                {
                    json.WriteStartArray();
                    json.WriteNumberValue(source);
                    json.WriteNumberValue(target);
                    json.WriteEndArray();
                    if (++written % FlushEvery == 0)
                    {
                        await json.FlushAsync(cancellationToken);
                    }
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void WriteObject(Utf8JsonWriter json, ModelEntity entity, StoredObject stored)
    {
        Dictionary<uint, object?> values;
        try
        {
            values = ObjectCodec.Decode(entity, stored.Data);
        }
        catch (ObjectFormatException e)
        {
            json.WriteStartObject();
            json.WriteNumber("_id", stored.Id);
            json.WriteString("_error", e.Message);
            json.WriteEndObject();
            return;
        }

        ObjectJson.Write(json, entity, values);
    }
}
