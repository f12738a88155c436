using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SyncServer.Core.Model;

/// <summary>
/// Reads an objectbox-model.json as the ObjectBox generators write it (Java/Kotlin, Dart, Swift, Go, C) and validates it.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Strict JSON (no comments, no trailing commas); unknown keys and "_"-prefixed keys are ignored. Every problem found is
/// reported in one <see cref="ModelException"/>: JSON kinds and formats while reading, then the cross-checks of
/// <see cref="ModelValidator"/> (duplicate IDs/UIDs/names, relation targets, last IDs, retired UIDs).
/// </remarks>
public static partial class ModelJsonReader
{
    /// <summary>The newest "modelVersion" this reader understands; files whose modelVersionParserMinimum is higher are refused.</summary>
    public const int HighestSupportedModelVersion = 5;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <exception cref="ModelException">The file is not valid JSON or not a valid model; lists every problem.</exception>
    public static ObjectBoxModel Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json));
    }

    /// <exception cref="ModelException">The file is not valid JSON or not a valid model; lists every problem.</exception>
    public static ObjectBoxModel Read(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.StartsWith(Utf8Bom))
        {
            utf8Json = utf8Json[Utf8Bom.Length..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ModelException([SyntaxError(e)]);
        }

        using (document)
        {
            var errors = new List<ModelError>();
            var model = ReadModel(document.RootElement, errors);
            if (model is null || errors.Count > 0)
            {
                throw new ModelException(errors);
            }

            return model;
        }
    }

    private static ModelError SyntaxError(JsonException e)
    {
        // The reader's message ends with its own 0-based position; ours is 1-based and goes in the location. Its words are
        // for programmers (JsonSyntaxText says what to fix in the file).
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        var location = e.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}")
            : "JSON";
        return new ModelError(location, $"not valid JSON: {JsonSyntaxText.Explain(message)}");
    }

    private static ObjectBoxModel? ReadModel(JsonElement root, List<ModelError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ModelError("model", $"the file must hold a JSON object, got {JsonFields.Describe(root)}"));
            return null;
        }

        var fields = new JsonFields(root, location: null, errors);

        // A newer format may mean something else by the same keys: refuse before reading anything else.
        var parserMinimum = fields.Int32("modelVersionParserMinimum");
        if (parserMinimum > HighestSupportedModelVersion)
        {
            errors.Add(new ModelError(
                "modelVersionParserMinimum",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the file needs a reader for model version {parserMinimum} or newer; this server reads model versions up to {HighestSupportedModelVersion}. Update the server to use this model.")));
            return null;
        }

        var entities = new List<ModelEntity>();
        var locations = new ModelLocations();
        if (fields.Array("entities", required: true) is { } array)
        {
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                if (ReadEntity(element, index, errors, locations) is { } entity)
                {
                    entities.Add(entity);
                }

                index++;
            }
        }

        var metadata = new ModelMetadata
        {
            LastEntityId = fields.OptionalIdUid("lastEntityId") ?? IdUid.Empty,
            LastIndexId = fields.OptionalIdUid("lastIndexId") ?? IdUid.Empty,
            LastRelationId = fields.OptionalIdUid("lastRelationId") ?? IdUid.Empty,
            LastSequenceId = fields.OptionalIdUid("lastSequenceId") ?? IdUid.Empty,
            ModelVersion = fields.Int32("modelVersion") ?? 0,
            ModelVersionParserMinimum = parserMinimum ?? 0,
            Version = fields.Int64("version") ?? 0,
            RetiredEntityUids = fields.UidList("retiredEntityUids"),
            RetiredPropertyUids = fields.UidList("retiredPropertyUids"),
            RetiredIndexUids = fields.UidList("retiredIndexUids"),
            RetiredRelationUids = fields.UidList("retiredRelationUids"),
        };

        var model = new ObjectBoxModel(entities, metadata);
        ModelValidator.Validate(model, locations, errors);
        return model;
    }
}
