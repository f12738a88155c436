using System.Globalization;
using System.Text.Json;

namespace SyncServer.Engine.Filters;

/// <summary>
/// The values a client's filters read: the claims of its validated JWT (<c>$auth.…</c>; dots reach into nested
/// objects) and the filter variables it sent at login (<c>$client.…</c>, each a string or a list of strings).
/// </summary>
public sealed class FilterVariableValues
{
    /// <summary>No claims, no client variables.</summary>
    public static FilterVariableValues None { get; } = new(null, new Dictionary<string, IReadOnlyList<string>>());

    /// <param name="claims">The JWT payload (a JSON object), or null when the login had none.</param>
    /// <param name="client">The client's variables: name to value; a single-element list of a variable sent as one
    /// string is <paramref name="clientLists"/>'s business.</param>
    /// <param name="clientLists">Names of client variables sent as lists (the others are single strings).</param>
    public FilterVariableValues(JsonElement? claims, IReadOnlyDictionary<string, IReadOnlyList<string>> client, IReadOnlySet<string>? clientLists = null)
    {
        Claims = claims;
        Client = client;
        ClientLists = clientLists ?? new HashSet<string>(StringComparer.Ordinal);
    }

    public JsonElement? Claims { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Client { get; }

    public IReadOnlySet<string> ClientLists { get; }

    /// <summary>A variable's value as JSON (a claim as the token has it; a client variable as a string or an array of
    /// strings); null when it is not there.</summary>
    internal JsonElement? Raw(FilterVariableScope scope, string name)
    {
        if (scope == FilterVariableScope.Client)
        {
            if (!Client.TryGetValue(name, out var values))
            {
                return null;
            }

            return ClientLists.Contains(name) || values.Count != 1
                ? JsonSerializer.SerializeToElement(values)
                : JsonSerializer.SerializeToElement(values[0]);
        }

        if (Claims is not { ValueKind: JsonValueKind.Object } current)
        {
            return null;
        }

        foreach (var part in name.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current.Clone();
    }

    /// <summary>A variable's value: its elements and whether it is a list; null when it is not there.</summary>
    internal (IReadOnlyList<FilterValue> Values, bool IsList)? Find(FilterVariableScope scope, string name)
    {
        if (scope == FilterVariableScope.Client)
        {
            return Client.TryGetValue(name, out var values)
                ? (values.Select(FilterValue.Of).ToList(), ClientLists.Contains(name) || values.Count != 1)
                : null;
        }

        if (Claims is not { ValueKind: JsonValueKind.Object } current)
        {
            return null;
        }

        foreach (var part in name.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.Array => (current.EnumerateArray().Select(FromJson).OfType<FilterValue>().ToList(), true),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => FromJson(current) is { } one ? ([one], false) : ([], false),
        };
    }

    private static FilterValue? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => FilterValue.Of(element.GetString()!),
        JsonValueKind.True => FilterValue.Of(true),
        JsonValueKind.False => FilterValue.Of(false),
        JsonValueKind.Number when Int128.TryParse(element.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => FilterValue.Of(i),
        JsonValueKind.Number => FilterValue.Of(element.GetDouble()),
        _ => null,
    };
}
