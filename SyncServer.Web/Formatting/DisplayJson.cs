using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;

namespace SyncServer.Web.Formatting;

/// <summary>
/// An object's JSON (ObjectJson) for reading on the object page: indented, and with every character as itself ("—",
/// "é", "&lt;") instead of <c>\u2014</c>-style escapes (characters outside the Basic Multilingual Plane, e.g. emoji,
/// stay escaped: the encoder always escapes surrogate pairs). Only for display, where the page HTML-encodes the text; the export
/// (docs/export.md) keeps System.Text.Json's default escaping.
/// </summary>
internal static class DisplayJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Object(ModelEntity entity, IReadOnlyDictionary<uint, object?> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            ObjectJson.Write(writer, entity, values);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
