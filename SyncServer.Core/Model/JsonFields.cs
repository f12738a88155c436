using System.Globalization;
using System.Text.Json;

namespace SyncServer.Core.Model;

/// <summary>
/// The members of one JSON object of a model file, read with kind checks. Every problem is added to the shared error
/// list and the getter returns null, so reading goes on and all errors are reported at once.
/// Keys starting with '_' (the generators' "_note1" etc.) and unknown keys are ignored.
/// </summary>
internal sealed class JsonFields
{
    private delegate bool TryGet<T>(JsonElement element, out T value);

    private readonly Dictionary<string, JsonElement> _members = new(StringComparer.Ordinal);
    private readonly string? _location;
    private readonly List<ModelError> _errors;

    /// <param name="location">Where the object is; null for the file's root object, whose errors are located by key.</param>
    public JsonFields(JsonElement element, string? location, List<ModelError> errors)
    {
        _location = location;
        _errors = errors;
        foreach (var member in element.EnumerateObject())
        {
            if (member.Name.StartsWith('_'))
            {
                continue;
            }

            if (!_members.TryAdd(member.Name, member.Value))
            {
                Report(member.Name, "appears twice in the same object; which one is meant is ambiguous");
            }
        }
    }

    /// <summary>Whether the key is there with a value other than null.</summary>
    public bool Has(string key) => Get(key) is not null;

    /// <summary>The first of the keys that is present (for spellings that differ between generators), else the first.</summary>
    public string KeyOf(string key, string alternative) => Has(key) || !Has(alternative) ? key : alternative;

    public void Report(string key, string message)
    {
        _errors.Add(_location is null ? new ModelError(key, message) : new ModelError(_location, $"\"{key}\" {message}"));
    }

    public string? String(string key, bool required = false)
    {
        if (Get(key, required) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Report(key, $"must be a string, got {Describe(value)}");
            return null;
        }

        return value.GetString();
    }

    /// <summary>A required, non-empty name.</summary>
    public string? Name(string key = "name")
    {
        var name = String(key, required: true);
        if (name is { Length: 0 })
        {
            Report(key, "must not be empty");
            return null;
        }

        return name;
    }

    /// <summary>An "ID:UID" string; "" and "0:0" are <see cref="IdUid.Empty"/>.</summary>
    public IdUid? IdUid(string key, bool required = false)
    {
        if (Get(key, required) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Report(key, $"must be an \"ID:UID\" string, got {Describe(value)}");
            return null;
        }

        var text = value.GetString();
        if (!Model.IdUid.TryParse(text, out var result))
        {
            Report(key, $"is not a valid \"ID:UID\": \"{Shorten(text)}\"");
            return null;
        }

        return result;
    }

    /// <summary>A required "ID:UID" whose ID and UID must both be non-zero.</summary>
    public IdUid? NonZeroIdUid(string key)
    {
        var value = IdUid(key, required: true);
        if (value is not { } id)
        {
            return null;
        }

        if (id.IsEmpty)
        {
            Report(key, $"is empty (\"{id}\"); a non-zero ID and UID are required");
        }
        else
        {
            CheckNonZeroParts(key, id);
        }

        return value;
    }

    /// <summary>An optional "ID:UID": empty is fine, but a non-empty value needs both parts non-zero.</summary>
    public IdUid? OptionalIdUid(string key)
    {
        var value = IdUid(key);
        if (value is { IsEmpty: false } id)
        {
            CheckNonZeroParts(key, id);
        }

        return value;
    }

    public uint? UInt32(string key) => Number<uint>(key, TryGetUInt32, "a whole number from 0 to 4294967295");

    public int? Int32(string key) => Number<int>(key, TryGetInt32, "a whole number that fits 32 bits");

    public long? Int64(string key) => Number<long>(key, TryGetInt64, "a whole number that fits 64 bits");

    public ulong? UInt64(string key) => Number<ulong>(key, TryGetUInt64, "a whole number from 0 to 18446744073709551615");

    public float? Single(string key) => Number<float>(key, TryGetSingle, "a number");

    public JsonElement? Array(string key, bool required = false) => OfKind(key, JsonValueKind.Array, "an array", required);

    public JsonElement? Object(string key) => OfKind(key, JsonValueKind.Object, "an object", required: false);

    /// <summary>A list of UIDs such as "retiredPropertyUids"; missing is an empty list.</summary>
    public IReadOnlyList<ulong> UidList(string key)
    {
        if (Array(key) is not { } array)
        {
            return [];
        }

        var result = new List<ulong>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number && item.TryGetUInt64(out var uid))
            {
                result.Add(uid);
            }
            else
            {
                Report(key, string.Create(
                    CultureInfo.InvariantCulture,
                    $"item {index} must be a UID (a whole number from 0 to 18446744073709551615), got {Describe(item)}"));
            }

            index++;
        }

        return result;
    }

    /// <summary>A short description of a JSON value for messages: <c>string "abc"</c>, <c>number 1.5</c>, <c>an array</c>.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"string \"{Shorten(value.GetString())}\"",
        JsonValueKind.Number => $"number {Shorten(value.GetRawText())}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };

    private JsonElement? Get(string key, bool required = false)
    {
        if (_members.TryGetValue(key, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        if (required)
        {
            Report(key, value.ValueKind == JsonValueKind.Null ? "is null but required" : "is missing");
        }

        return null;
    }

    private JsonElement? OfKind(string key, JsonValueKind kind, string expected, bool required)
    {
        if (Get(key, required) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != kind)
        {
            Report(key, $"must be {expected}, got {Describe(value)}");
            return null;
        }

        return value;
    }

    private T? Number<T>(string key, TryGet<T> tryGet, string expected)
        where T : struct
    {
        if (Get(key) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !tryGet(value, out var result))
        {
            Report(key, $"must be {expected}, got {Describe(value)}");
            return null;
        }

        return result;
    }

    private void CheckNonZeroParts(string key, IdUid id)
    {
        if (id.Id == 0)
        {
            Report(key, $"\"{id}\" has ID 0; IDs start at 1");
        }

        if (id.Uid == 0)
        {
            Report(key, $"\"{id}\" has UID 0; UIDs must not be 0");
        }
    }

    private static string Shorten(string? text) =>
        text is null ? string.Empty : text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");

    private static bool TryGetUInt32(JsonElement element, out uint value) => element.TryGetUInt32(out value);

    private static bool TryGetInt32(JsonElement element, out int value) => element.TryGetInt32(out value);

    private static bool TryGetInt64(JsonElement element, out long value) => element.TryGetInt64(out value);

    private static bool TryGetUInt64(JsonElement element, out ulong value) => element.TryGetUInt64(out value);

    private static bool TryGetSingle(JsonElement element, out float value) =>
        element.TryGetSingle(out value) && float.IsFinite(value);
}
