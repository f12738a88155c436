using System.Collections;
using System.Text.Json;
using SyncServer.Core.Model;

namespace SyncServer.Core.Objects;

/// <summary>
/// Objects as JSON for tools (CLI client, admin data export): <c>{ "propertyName": value, ... }</c> in property ID order.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// bool → true/false; integers, char (its UTF-16 code) and dates → numbers (64-bit values exactly, also beyond 2^53);
/// float/double → numbers, non-finite ones as the strings "NaN", "Infinity", "-Infinity" (a NaN's payload is not kept);
/// string → string; ByteVector and Flex → base64 string; other vectors → arrays of the above. A null value is
/// written as null. <see cref="Read"/> also accepts a one-character string for a char.
/// </remarks>
public static partial class ObjectJson
{
    private const string NaN = "NaN";
    private const string PositiveInfinity = "Infinity";
    private const string NegativeInfinity = "-Infinity";

    /// <summary>Writes the values as one JSON object, in property ID order.</summary>
    /// <exception cref="ObjectFormatException">A key that is no property of the entity, or a value of the wrong type
    /// (the same checks as <see cref="ObjectCodec.Encode"/>).</exception>
    public static void Write(Utf8JsonWriter writer, ModelEntity entity, IReadOnlyDictionary<uint, object?> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var fields = ObjectValues.Normalize(entity, values);
        writer.WriteStartObject();
        foreach (var (property, kind, value) in fields)
        {
            writer.WritePropertyName(property.Name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else if (kind == ValueKind.Bytes)
            {
                writer.WriteBase64StringValue((byte[])value);
            }
            else if (value is IEnumerable elements and not string)
            {
                var elementKind = ElementKind(kind);
                writer.WriteStartArray();
                foreach (var element in elements)
                {
                    WriteScalar(writer, elementKind, element);
                }

                writer.WriteEndArray();
            }
            else
            {
                WriteScalar(writer, kind, value);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteScalar(Utf8JsonWriter writer, ValueKind kind, object value)
    {
        switch (value)
        {
            case bool v: writer.WriteBooleanValue(v); break;
            case sbyte v: writer.WriteNumberValue(v); break;
            case byte v: writer.WriteNumberValue(v); break;
            case short v: writer.WriteNumberValue(v); break;
            case ushort v: writer.WriteNumberValue(v); break;
            case char v: writer.WriteNumberValue(v); break;
            case int v: writer.WriteNumberValue(v); break;
            case uint v: writer.WriteNumberValue(v); break;
            case long v: writer.WriteNumberValue(v); break;
            case ulong v: writer.WriteNumberValue(v); break;
            case float v when float.IsFinite(v): writer.WriteNumberValue(v); break;
            case double v when double.IsFinite(v): writer.WriteNumberValue(v); break;
            case float v: writer.WriteStringValue(NonFinite(v)); break;
            case double v: writer.WriteStringValue(NonFinite(v)); break;
            case string v: writer.WriteStringValue(v); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a scalar kind");
        }
    }

    private static string NonFinite(double value) =>
        double.IsNaN(value) ? NaN : double.IsPositiveInfinity(value) ? PositiveInfinity : NegativeInfinity;

    /// <summary>The kind of one element of a vector kind.</summary>
    private static ValueKind ElementKind(ValueKind kind) => kind switch
    {
        ValueKind.BoolVector => ValueKind.Bool,
        ValueKind.ShortVector => ValueKind.Short,
        ValueKind.UShortVector => ValueKind.UShort,
        ValueKind.CharVector => ValueKind.Char,
        ValueKind.IntVector => ValueKind.Int,
        ValueKind.UIntVector => ValueKind.UInt,
        ValueKind.LongVector => ValueKind.Long,
        ValueKind.ULongVector => ValueKind.ULong,
        ValueKind.FloatVector => ValueKind.Float,
        ValueKind.DoubleVector => ValueKind.Double,
        ValueKind.StringVector => ValueKind.String,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an element-wise vector kind"),
    };
}
