using System.Globalization;
using System.Text;

namespace SyncServer.Engine.Filters;

// Stateless apart from the position; one per parse.
/// <summary>Splits a filter expression into <see cref="FilterToken"/>s (docs/filters.md, "Language").</summary>
internal sealed class FilterLexer(string entity, string text)
{
    private int _i;

    public List<FilterToken> Tokenize()
    {
        var tokens = new List<FilterToken>();
        while (true)
        {
            while (_i < text.Length && char.IsWhiteSpace(text[_i]))
            {
                _i++;
            }

            if (_i >= text.Length)
            {
                tokens.Add(new FilterToken(FilterTokenKind.End, "", text.Length + 1));
                return tokens;
            }

            tokens.Add(Next());
        }
    }

    private FilterToken Next()
    {
        var start = _i;
        var c = text[_i];
        switch (c)
        {
            case '(':
                _i++;
                return new FilterToken(FilterTokenKind.OpenParen, "(", start + 1);
            case ')':
                _i++;
                return new FilterToken(FilterTokenKind.CloseParen, ")", start + 1);
            case '[':
                _i++;
                return new FilterToken(FilterTokenKind.OpenBracket, "[", start + 1);
            case ']':
                _i++;
                return new FilterToken(FilterTokenKind.CloseBracket, "]", start + 1);
            case ',':
                _i++;
                return new FilterToken(FilterTokenKind.Comma, ",", start + 1);
            case '"':
                return new FilterToken(FilterTokenKind.Literal, "string", start + 1, FilterValue.Of(ReadString()));
            case '$' when Peek(1) == '{':
                return ReadVariableWithDefault();
            case '$' when Peek(1) is { } n && (char.IsLetter(n) || n == '_'):
                _i++;
                return new FilterToken(FilterTokenKind.Variable, ReadPath(), start + 1);
        }

        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(text, _i, op, 0, op.Length) == 0)
            {
                _i += op.Length;
                return new FilterToken(FilterTokenKind.Operator, op, start + 1);
            }
        }

        if (char.IsDigit(c) || ((c == '-' || c == '+') && Peek(1) is { } d && char.IsDigit(d)))
        {
            return ReadNumber();
        }

        if (char.IsLetter(c) || c == '_')
        {
            var word = ReadIdentifier();
            return word switch
            {
                "AND" or "and" => new FilterToken(FilterTokenKind.And, word, start + 1),
                "OR" or "or" => new FilterToken(FilterTokenKind.Or, word, start + 1),
                "IN" or "in" when Peek(0) == '~' => Advance(new FilterToken(FilterTokenKind.Operator, "IN~", start + 1)),
                "IN" or "in" => new FilterToken(FilterTokenKind.Operator, "IN", start + 1),
                "true" => new FilterToken(FilterTokenKind.Literal, word, start + 1, FilterValue.Of(true)),
                "false" => new FilterToken(FilterTokenKind.Literal, word, start + 1, FilterValue.Of(false)),
                _ => new FilterToken(FilterTokenKind.Identifier, word, start + 1),
            };
        }

        throw Error(start, $"unexpected character '{c}'");
    }

    // Longest first: "==~" before "==", ">=" before ">".
    private static readonly string[] Operators = ["==~", "==", "!=", ">=", "<=", ">", "<", "^=", "*=", "$="];

    private FilterToken Advance(FilterToken token)
    {
        _i++;
        return token;
    }

    private char? Peek(int ahead) => _i + ahead < text.Length ? text[_i + ahead] : null;

    private string ReadIdentifier()
    {
        var start = _i;
        while (_i < text.Length && (char.IsLetterOrDigit(text[_i]) || text[_i] == '_'))
        {
            _i++;
        }

        return text[start.._i];
    }

    /// <summary>name(.name)*, as in <c>auth.org.id</c>.</summary>
    private string ReadPath()
    {
        var path = new StringBuilder(ReadIdentifier());
        while (Peek(0) == '.' && Peek(1) is { } n && (char.IsLetterOrDigit(n) || n == '_'))
        {
            _i++;
            path.Append('.').Append(ReadIdentifier());
        }

        return path.ToString();
    }

    private FilterToken ReadVariableWithDefault()
    {
        var start = _i;
        _i += 2; // ${
        SkipSpaces();
        if (Peek(0) is not { } first || !(char.IsLetter(first) || first == '_'))
        {
            throw Error(_i, "expected a variable name after '${'");
        }

        var path = ReadPath();
        SkipSpaces();
        if (Peek(0) != '?' || Peek(1) != '?')
        {
            throw Error(_i, "expected '??' and a default value in '${...}'");
        }

        _i += 2;
        SkipSpaces();
        var literal = Next();
        if (literal.Kind != FilterTokenKind.Literal)
        {
            throw Error(literal.Position - 1, "the default in '${...}' must be a literal");
        }

        SkipSpaces();
        if (Peek(0) != '}')
        {
            throw Error(_i, "expected '}' to end '${...}'");
        }

        _i++;
        return new FilterToken(FilterTokenKind.VariableWithDefault, path, start + 1, literal.Literal);
    }

    private void SkipSpaces()
    {
        while (_i < text.Length && char.IsWhiteSpace(text[_i]))
        {
            _i++;
        }
    }

    private FilterToken ReadNumber()
    {
        var start = _i;
        if (text[_i] is '-' or '+')
        {
            _i++;
        }

        var isFloat = false;
        while (_i < text.Length && (char.IsDigit(text[_i]) || text[_i] is '.' or 'e' or 'E' || (text[_i] is '-' or '+' && text[_i - 1] is 'e' or 'E')))
        {
            isFloat |= text[_i] is '.' or 'e' or 'E';
            _i++;
        }

        var number = text[start.._i];
        if (isFloat)
        {
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? new FilterToken(FilterTokenKind.Literal, number, start + 1, FilterValue.Of(d))
                : throw Error(start, $"'{number}' is not a number");
        }

        return Int128.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
               && i >= long.MinValue && i <= ulong.MaxValue
            ? new FilterToken(FilterTokenKind.Literal, number, start + 1, FilterValue.Of(i))
            : throw Error(start, $"'{number}' is not a 64-bit integer");
    }

    private string ReadString()
    {
        var start = _i;
        _i++; // opening quote
        var value = new StringBuilder();
        while (true)
        {
            if (_i >= text.Length)
            {
                throw Error(start, "the string is not closed (a '\"' is missing)");
            }

            var c = text[_i++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (_i >= text.Length)
            {
                throw Error(_i - 1, "a '\\' at the end of the expression");
            }

            var escape = text[_i++];
            switch (escape)
            {
                case '"' or '\\' or '/':
                    value.Append(escape);
                    break;
                case 'n':
                    value.Append('\n');
                    break;
                case 't':
                    value.Append('\t');
                    break;
                case 'r':
                    value.Append('\r');
                    break;
                case 'u' when _i + 4 <= text.Length
                    && int.TryParse(text.AsSpan(_i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    value.Append((char)code);
                    _i += 4;
                    break;
                default:
                    throw Error(_i - 2, $"unknown escape '\\{escape}' (known: \\\" \\\\ \\/ \\n \\t \\r \\uXXXX)");
            }
        }
    }

    private FilterException Error(int index, string reason) => new(entity, text, index + 1, reason);
}
