using System.Text.Json;
using SyncServer.Core.Model;

namespace SyncServer.Core.Objects;

public static partial class ObjectJson
{
    /// <summary>Reads <c>{ "propertyName": value, ... }</c> into values keyed by property ID; JSON null gives a null value.</summary>
    /// <exception cref="ObjectFormatException">Not a JSON object, a name that is no property of the entity or appears
    /// twice, or a value of the wrong JSON kind or out of range; the message names the property and the expected JSON.</exception>
    public static Dictionary<uint, object?> Read(ModelEntity entity, JsonElement json)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ObjectFormatException($"An object of entity \"{entity.Name}\" must be a JSON object, got {json.ValueKind}.");
        }

        var values = new Dictionary<uint, object?>();
        foreach (var member in json.EnumerateObject())
        {
            var property = entity.FindProperty(member.Name)
                ?? throw new ObjectFormatException($"Entity \"{entity.Name}\" has no property named \"{member.Name}\".");
            if (!values.TryAdd(property.Id.Id, null))
            {
                throw new ObjectFormatException($"Entity \"{entity.Name}\" property \"{member.Name}\" appears twice in the JSON object.");
            }

            var kind = ValueKinds.Of(property);
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (kind == ValueKind.None)
            {
                throw new ObjectFormatException(
                    $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)} has no known type; it cannot hold a value.");
            }

            var value = ReadValue(entity, property, kind, member.Value);
            values[property.Id.Id] = ObjectValues.Normalize(entity, property, kind, value);
        }

        return values;
    }

    private static object ReadValue(ModelEntity entity, ModelProperty property, ValueKind kind, JsonElement json)
    {
        if (kind == ValueKind.Bytes)
        {
            return json.ValueKind == JsonValueKind.String && json.TryGetBytesFromBase64(out var bytes)
                ? bytes
                : throw WrongJson(entity, property, kind, json, "a base64 string");
        }

        if (ValueKinds.IsScalar(kind) || kind == ValueKind.String)
        {
            return TryReadScalar(json, kind, out var scalar) ? scalar : throw WrongJson(entity, property, kind, json, ExpectedJson(kind));
        }

        var elementKind = ElementKind(kind);
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw WrongJson(entity, property, kind, json, $"an array, each element {ExpectedJson(elementKind)}");
        }

        var elements = Array.CreateInstance(ValueKinds.ClrType(elementKind)!, json.GetArrayLength());
        var index = 0;
        foreach (var element in json.EnumerateArray())
        {
            if (!TryReadScalar(element, elementKind, out var scalar))
            {
                throw WrongJson(entity, property, kind, element, $"an array, each element {ExpectedJson(elementKind)}", index);
            }

            elements.SetValue(scalar, index++);
        }

        return elements;
    }

    private static bool TryReadScalar(JsonElement json, ValueKind kind, out object value)
    {
        value = false;
        switch (json.ValueKind, kind)
        {
            case (JsonValueKind.True or JsonValueKind.False, ValueKind.Bool):
                value = json.GetBoolean();
                return true;
            case (JsonValueKind.String, ValueKind.String):
                return TryGetString(json, out value);
            case (JsonValueKind.String, ValueKind.Char):
                if (TryGetString(json, out var text) && ((string)text).Length == 1)
                {
                    value = ((string)text)[0];
                    return true;
                }

                return false;
            case (JsonValueKind.String, ValueKind.Float):
                return TryGetNonFinite(json, out var single) && Box((float)single, out value);
            case (JsonValueKind.String, ValueKind.Double):
                return TryGetNonFinite(json, out var number) && Box(number, out value);
            case (JsonValueKind.Number, _):
                return TryGetNumber(json, kind, out value);
            default:
                return false;
        }
    }

    private static bool TryGetNumber(JsonElement json, ValueKind kind, out object value)
    {
        value = 0;
        return kind switch
        {
            ValueKind.SByte => json.TryGetSByte(out var v) && Box(v, out value),
            ValueKind.Byte => json.TryGetByte(out var v) && Box(v, out value),
            ValueKind.Short => json.TryGetInt16(out var v) && Box(v, out value),
            ValueKind.UShort => json.TryGetUInt16(out var v) && Box(v, out value),
            ValueKind.Char => json.TryGetUInt16(out var v) && Box((char)v, out value),
            ValueKind.Int => json.TryGetInt32(out var v) && Box(v, out value),
            ValueKind.UInt => json.TryGetUInt32(out var v) && Box(v, out value),
            ValueKind.Long => json.TryGetInt64(out var v) && Box(v, out value),
            ValueKind.ULong => json.TryGetUInt64(out var v) && Box(v, out value),
            ValueKind.Float => json.TryGetSingle(out var v) && float.IsFinite(v) && Box(v, out value),
            ValueKind.Double => json.TryGetDouble(out var v) && double.IsFinite(v) && Box(v, out value),
            _ => false,
        };
    }

    private static bool TryGetNonFinite(JsonElement json, out double value)
    {
        value = json.ValueEquals(NaN) ? double.NaN
            : json.ValueEquals(PositiveInfinity) ? double.PositiveInfinity
            : json.ValueEquals(NegativeInfinity) ? double.NegativeInfinity
            : 0;
        return value != 0;
    }

    /// <summary>GetString fails on escaped lone surrogates ("\ud800"): that is a wrong value, not a crash.</summary>
    private static bool TryGetString(JsonElement json, out object value)
    {
        try
        {
            value = json.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = string.Empty;
            return false;
        }
    }

    private static bool Box<T>(T scalar, out object value)
        where T : notnull
    {
        value = scalar;
        return true;
    }

    private static string ExpectedJson(ValueKind kind) => kind switch
    {
        ValueKind.Bool => "true or false",
        ValueKind.SByte => "a whole number from -128 to 127",
        ValueKind.Byte => "a whole number from 0 to 255",
        ValueKind.Short => "a whole number from -32768 to 32767",
        ValueKind.UShort => "a whole number from 0 to 65535",
        ValueKind.Char => "a UTF-16 code from 0 to 65535 or a one-character string",
        ValueKind.Int => "a whole number from -2147483648 to 2147483647",
        ValueKind.UInt => "a whole number from 0 to 4294967295",
        ValueKind.Long => "a whole number from -9223372036854775808 to 9223372036854775807",
        ValueKind.ULong => "a whole number from 0 to 18446744073709551615",
        ValueKind.Float => "a number within float range or \"NaN\", \"Infinity\", \"-Infinity\"",
        ValueKind.Double => "a number or \"NaN\", \"Infinity\", \"-Infinity\"",
        _ => "a string",
    };

    private static ObjectFormatException WrongJson(
        ModelEntity entity, ModelProperty property, ValueKind kind, JsonElement json, string expected, int element = -1)
    {
        var where = element < 0 ? string.Empty : $" (element {element})";
        var got = json.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? $"{json.ValueKind} {Shorten(json.GetRawText())}"
            : json.ValueKind.ToString();
        return new ObjectFormatException(
            $"Entity \"{entity.Name}\" {ValueKinds.Describe(property)} ({ValueKinds.ClrName(kind)}) expects {expected}; " +
            $"got {got}{where}.");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
