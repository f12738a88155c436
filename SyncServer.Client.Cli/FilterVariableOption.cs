using System.CommandLine;
using SyncServer.Client.Sync;

namespace SyncServer.Client.Cli;

/// <summary>
/// <c>--filter-var name=value</c> (repeatable): the client's filter variables (<see cref="SyncClientOptions.FilterVariables"/>).
/// A value with a comma is a list: <c>name=a,b</c>; one trailing comma is dropped, so <c>name=a,</c> is the list of one
/// element and <c>name=,</c> the empty list. Checked by <see cref="TryRead"/> before the command opens anything.
/// </summary>
internal sealed class FilterVariableOption
{
    private const int MaxQuoted = 60;

    public Option<string[]> Option { get; } = new("--filter-var")
    {
        HelpName = "name=value",
        Description = "A filter variable for the server's sync filters ($client.<name>), repeatable: name=value for one value, " +
            "name=a,b for a list (name=a, is a list of one element, name=, the empty list). Values cannot contain commas.",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The variables the command line gives, or (false) one line naming the option, the value and the problem.</summary>
    public bool TryRead(ParseResult result, out IReadOnlyDictionary<string, FilterVariableValue> variables, out string error)
    {
        var parsed = new Dictionary<string, FilterVariableValue>(StringComparer.Ordinal);
        variables = parsed;
        error = "";
        foreach (var argument in result.GetValue(Option) ?? [])
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            var problem = equals switch
            {
                < 0 => "expected name=value (or name=a,b for a list).",
                0 => "the name before '=' is empty.",
                _ => null,
            };
            var name = equals > 0 ? argument[..equals] : "";
            if (problem is null)
            {
                var value = Parse(argument[(equals + 1)..]);
                problem = parsed.ContainsKey(name)
                    ? $"'{name}' is given twice."
                    : FilterVariableRules.Problem(new Dictionary<string, FilterVariableValue> { [name] = value });
                parsed[name] = value;
            }

            if (problem is not null)
            {
                error = $"{Option.Name} \"{Shorten(argument)}\": {problem}";
                return false;
            }
        }

        if (FilterVariableRules.Problem(parsed) is { } tooMany)
        {
            error = $"{Option.Name}: {tooMany}";
            return false;
        }

        return true;
    }

    private static FilterVariableValue Parse(string value)
    {
        if (!value.Contains(',', StringComparison.Ordinal))
        {
            return FilterVariableValue.Of(value);
        }

        var values = value.Split(',');
        return FilterVariableValue.List(values[^1].Length == 0 ? values[..^1] : values);
    }

    private static string Shorten(string argument) => argument.Length <= MaxQuoted ? argument : argument[..MaxQuoted] + "…";
}
