using System.Text.RegularExpressions;

namespace SyncServer.Core.Model;

/// <summary>
/// Rewrites System.Text.Json's reader messages ("… not supported in this mode. Change the reader options.", "… when
/// isFinalBlock is true.") into what the author of the file must fix. Stateless and thread-safe.
/// </summary>
internal static partial class JsonSyntaxText
{
    private static readonly (Regex Pattern, Func<Match, string> Text)[] Rules =
    [
        (TrailingComma(), m => $"a trailing comma before the closing '{(m.Groups[1].Value == "object" ? "}" : "]")}': remove the comma after the last {(m.Groups[1].Value == "object" ? "member" : "element")}"),
        (NoTokens(), _ => "the file is empty: it must hold the model's JSON object"),
        (OpenAtEnd(), _ => "the file ends before every '{' and '[' is closed: it is cut short or a closing bracket is missing"),
        (ColonExpected(), m => $"a ':' must follow the property name, found {m.Groups[1].Value}"),
        (CommaExpected(), m => $"a ',' or a closing '}}' or ']' must follow a value, found {m.Groups[1].Value}: is a comma missing?"),
        (BadLiteral(), m => $"{m.Groups[1].Value} is not a JSON value; did you mean {m.Groups[2].Value}?"),
        (OpenString(), _ => "a string is not closed: the file ends before its closing '\"'"),
        (UnquotedName(), m => $"property names must be in double quotes, found {m.Groups[1].Value}"),
        (AfterEnd(), m => $"there is more after the end of the JSON object, starting with {m.Groups[1].Value}"),
        (LeadingZero(), m => $"a number must not start with 0 (before {m.Groups[1].Value})"),
        (CommentStart(), _ => "comments are not allowed in JSON: remove the '//' or '/* */' comment"),
        (ValueExpected(), m => $"a value (string, number, object, array, true, false or null) must come here, found {m.Groups[1].Value}"),
        (Unmatched(), m => $"{m.Groups[1].Value} closes nothing: there is no matching opening bracket"),
        (BadEscape(), m => $"\\{m.Groups[1].Value.Trim('\'')} is not a valid escape in a string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"),
        (UnescapedCharacter(), m => $"a string holds the character {m.Groups[1].Value}, which must be escaped (as \\t, \\n or \\uXXXX)"),
        (BadNumber(), m => $"a number is not complete: {m.Groups[1].Value} cannot come {m.Groups[2].Value}"),
    ];

    /// <summary>What to fix, for a message of <see cref="System.Text.Json.JsonException"/> without its position suffix.</summary>
    public static string Explain(string message)
    {
        foreach (var (pattern, text) in Rules)
        {
            var match = pattern.Match(message);
            if (match.Success)
            {
                return text(match);
            }
        }

        // An unknown message: keep what it says about the file, drop the advice meant for programmers.
        var kept = InternalAdvice().Replace(message, "").Trim();
        return kept.Length > 0 ? kept : message;
    }

    [GeneratedRegex(@"^The JSON (object|array) contains a trailing comma")]
    private static partial Regex TrailingComma();

    [GeneratedRegex(@"^The input does not contain any JSON tokens")]
    private static partial Regex NoTokens();

    [GeneratedRegex(@"^Expected depth to be zero at the end of the JSON payload")]
    private static partial Regex OpenAtEnd();

    [GeneratedRegex(@"^('.*') is invalid after a property name\. Expected a ':'")]
    private static partial Regex ColonExpected();

    [GeneratedRegex(@"^('.*') is invalid after a value\. Expected either")]
    private static partial Regex CommaExpected();

    [GeneratedRegex(@"^('.*') is an invalid JSON literal\. Expected the literal '(\w+)'")]
    private static partial Regex BadLiteral();

    [GeneratedRegex(@"^Expected end of string, but instead reached end of data")]
    private static partial Regex OpenString();

    [GeneratedRegex(@"^('.*') is an invalid start of a property name")]
    private static partial Regex UnquotedName();

    [GeneratedRegex(@"^('.*') is invalid after a single JSON value")]
    private static partial Regex AfterEnd();

    [GeneratedRegex(@"^Invalid leading zero before ('.*')\.")]
    private static partial Regex LeadingZero();

    [GeneratedRegex(@"^'/' is an invalid start of a (value|property name)")]
    private static partial Regex CommentStart();

    [GeneratedRegex(@"^('.*') is an invalid start of a value")]
    private static partial Regex ValueExpected();

    [GeneratedRegex(@"^('.*') is invalid without a matching open")]
    private static partial Regex Unmatched();

    [GeneratedRegex(@"^('.*') is an invalid escapable character within a JSON string")]
    private static partial Regex BadEscape();

    [GeneratedRegex(@"^('.*') is invalid within a JSON string")]
    private static partial Regex UnescapedCharacter();

    [GeneratedRegex(@"^('.*') is invalid within a number, (.*?)\. Expected")]
    private static partial Regex BadNumber();

    [GeneratedRegex(@"\s*[^.]*\b(reader options|isFinalBlock|in this mode|JSON payload)\b[^.]*\.")]
    private static partial Regex InternalAdvice();
}
