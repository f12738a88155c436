using System.Text.Json;
using System.Text.Json.Nodes;

namespace SyncServer.Engine.Filters;

// Immutable; thread-safe.
/// <summary>
/// What a client's filters were made from: the expressions and the value of every variable they read (absent when the
/// login had none and a default was used), as canonical JSON, e.g.
/// <c>{"filters":{"Task":"ownerId == $auth.sub"},"values":{"$auth.sub":"alice"}}</c>. Two logins with equal states see
/// the same objects. Stored per client (docs/storage.md) and turned back into variable values by <see cref="ToVariableValues"/>.
/// </summary>
public sealed class FilterState : IEquatable<FilterState>
{
    private FilterState(string json, IReadOnlyDictionary<string, string> expressions, IReadOnlyDictionary<string, JsonElement> values)
    {
        Json = json;
        Expressions = expressions;
        Values = values;
    }

    /// <summary>No filters.</summary>
    public static FilterState Empty { get; } = Build(new Dictionary<string, string>(), new SortedDictionary<string, JsonElement>(StringComparer.Ordinal));

    public string Json { get; }

    /// <summary>Entity name to expression.</summary>
    public IReadOnlyDictionary<string, string> Expressions { get; }

    /// <summary>Variable (as written in the filter, <c>$auth.sub</c>) to its value: a JSON string, number, bool or array.</summary>
    public IReadOnlyDictionary<string, JsonElement> Values { get; }

    public bool IsEmpty => Expressions.Count == 0;

    /// <summary>The state of <paramref name="set"/> bound to <paramref name="values"/>.</summary>
    internal static FilterState Of(SyncFilterSet set, FilterVariableValues values)
    {
        var found = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var variable in set.Variables)
        {
            if (Split(variable) is var (scope, name) && values.Raw(scope, name) is { } raw)
            {
                found[variable] = raw;
            }
        }

        return Build(set.Expressions, found);
    }

    /// <summary>Reads a stored state.</summary>
    /// <exception cref="JsonException">The text is not a state.</exception>
    public static FilterState Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var expressions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var filter in root.GetProperty("filters").EnumerateObject())
        {
            expressions[filter.Name] = filter.Value.GetString() ?? throw new JsonException($"filter of {filter.Name} is not a string");
        }

        var values = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var value in root.GetProperty("values").EnumerateObject())
        {
            values[value.Name] = value.Value.Clone();
        }

        return Build(expressions, values);
    }

    /// <summary>The variable values of this state, as a login with exactly these values would have them.</summary>
    public FilterVariableValues ToVariableValues()
    {
        var claims = new JsonObject();
        var client = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var lists = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (variable, value) in Values)
        {
            if (Split(variable) is not var (scope, name))
            {
                continue;
            }

            if (scope == FilterVariableScope.Client)
            {
                if (value.ValueKind == JsonValueKind.Array)
                {
                    client[name] = [.. value.EnumerateArray().Select(v => v.GetString() ?? "")];
                    lists.Add(name);
                }
                else
                {
                    client[name] = [value.GetString() ?? ""];
                }

                continue;
            }

            var parts = name.Split('.');
            var node = claims;
            foreach (var part in parts[..^1])
            {
                if (node[part] is not JsonObject child)
                {
                    child = [];
                    node[part] = child;
                }

                node = child;
            }

            node[parts[^1]] = JsonNode.Parse(value.GetRawText());
        }

        var claimsElement = JsonSerializer.SerializeToElement(claims);
        return new FilterVariableValues(claimsElement, client, lists);
    }

    public bool Equals(FilterState? other) => other is not null && string.Equals(Json, other.Json, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as FilterState);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Json);

    public override string ToString() => Json;

    private static FilterState Build(IReadOnlyDictionary<string, string> expressions, SortedDictionary<string, JsonElement> values)
    {
        var filters = new JsonObject();
        foreach (var (entity, expression) in expressions.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            filters[entity] = expression;
        }

        var valueNodes = new JsonObject();
        foreach (var (variable, value) in values)
        {
            valueNodes[variable] = JsonNode.Parse(value.GetRawText());
        }

        var json = new JsonObject { ["filters"] = filters, ["values"] = valueNodes }.ToJsonString();
        return new FilterState(json, new Dictionary<string, string>(expressions, StringComparer.Ordinal), values);
    }

    private static (FilterVariableScope Scope, string Name)? Split(string variable) =>
        variable.StartsWith("$auth.", StringComparison.Ordinal) ? (FilterVariableScope.Auth, variable["$auth.".Length..])
        : variable.StartsWith("$client.", StringComparison.Ordinal) ? (FilterVariableScope.Client, variable["$client.".Length..])
        : null;
}
