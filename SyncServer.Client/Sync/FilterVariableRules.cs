using System.Text;
using SyncServer.Core.Protocol;

namespace SyncServer.Client.Sync;

/// <summary>
/// The checks on filter variables (the limits of LOGIN version 2, docs/protocol.md "Protocol versions") and their wire form.
/// Stateless, thread-safe.
/// </summary>
internal static class FilterVariableRules
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>No variables: LOGIN goes as protocol version 1.</summary>
    public static IReadOnlyDictionary<string, FilterVariableValue> None { get; } = new Dictionary<string, FilterVariableValue>();

    /// <summary>An ordinal copy of <paramref name="variables"/> (null: none) in their order.</summary>
    /// <exception cref="ArgumentException">A name or value breaks a limit; the message names the variable.</exception>
    public static IReadOnlyDictionary<string, FilterVariableValue> Checked(IReadOnlyDictionary<string, FilterVariableValue>? variables, string paramName)
    {
        var copy = new Dictionary<string, FilterVariableValue>(StringComparer.Ordinal);
        if (Problem(variables, copy) is { } problem)
        {
            throw new ArgumentException(problem, paramName);
        }

        return copy.Count == 0 ? None : copy.AsReadOnly();
    }

    /// <summary>The first problem of <paramref name="variables"/> as one sentence naming the variable, or null.</summary>
    public static string? Problem(IReadOnlyDictionary<string, FilterVariableValue>? variables) => Problem(variables, []);

    public static List<FilterVariable> ToWire(IReadOnlyDictionary<string, FilterVariableValue> variables) =>
        [.. variables.Select(v => v.Value.IsList ? FilterVariable.List(v.Key, [.. v.Value.Values]) : FilterVariable.Of(v.Key, v.Value.Values[0]))];

    public static bool AreEqual(IReadOnlyDictionary<string, FilterVariableValue> a, IReadOnlyDictionary<string, FilterVariableValue> b) =>
        a.Count == b.Count && a.All(v => b.TryGetValue(v.Key, out var other) && v.Value.Equals(other));

    private static string? Problem(IReadOnlyDictionary<string, FilterVariableValue>? variables, Dictionary<string, FilterVariableValue> copy)
    {
        if (variables is null)
        {
            return null;
        }

        if (variables.Count > MessageCodec.MaxFilterVariables)
        {
            return $"{variables.Count} filter variables; at most {MessageCodec.MaxFilterVariables}.";
        }

        foreach (var (name, value) in variables)
        {
            if (NameProblem(name) is { } nameProblem)
            {
                return nameProblem;
            }

            if (ValueProblem(name, value) is { } valueProblem)
            {
                return valueProblem;
            }

            if (!copy.TryAdd(name, value))
            {
                return $"Filter variable '{name}' is given twice.";
            }
        }

        return null;
    }

    private static string? NameProblem(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "A filter variable's name is empty.";
        }

        if (!IsValidText(name))
        {
            return $"Filter variable '{name}': the name is not valid Unicode (a lone surrogate).";
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        return bytes > MessageCodec.MaxFilterVariableNameLength
            ? $"Filter variable '{name}': the name is {bytes} bytes of UTF-8; at most {MessageCodec.MaxFilterVariableNameLength}."
            : null;
    }

    private static string? ValueProblem(string name, FilterVariableValue? value)
    {
        if (value is null)
        {
            return $"Filter variable '{name}' has no value (null).";
        }

        if (value.Values.Count > MessageCodec.MaxFilterVariableValues)
        {
            return $"Filter variable '{name}' has {value.Values.Count} values; at most {MessageCodec.MaxFilterVariableValues}.";
        }

        for (var i = 0; i < value.Values.Count; i++)
        {
            var what = value.IsList ? $"value {i + 1}" : "the value";
            if (value.Values[i] is not { } text)
            {
                return $"Filter variable '{name}': {what} is null.";
            }

            if (!IsValidText(text))
            {
                return $"Filter variable '{name}': {what} is not valid Unicode (a lone surrogate).";
            }
        }

        return null;
    }

    private static bool IsValidText(string text)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
