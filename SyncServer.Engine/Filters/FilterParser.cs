namespace SyncServer.Engine.Filters;

// One per parse; not thread-safe.
/// <summary>
/// Parses a filter expression (docs/filters.md, "Language"): <c>OR</c> of <c>AND</c>s of comparisons, parentheses;
/// <c>AND</c> binds tighter than <c>OR</c>. A comparison is a property name, an operator and a literal, a list or a
/// variable. Syntax only: <see cref="SyncFilter"/> checks names and types against the entity.
/// </summary>
internal sealed class FilterParser
{
    private static readonly Dictionary<string, FilterOperator> OperatorTexts = new(StringComparer.Ordinal)
    {
        ["=="] = FilterOperator.Equal,
        ["!="] = FilterOperator.NotEqual,
        [">"] = FilterOperator.Greater,
        ["<"] = FilterOperator.Less,
        [">="] = FilterOperator.GreaterOrEqual,
        ["<="] = FilterOperator.LessOrEqual,
        ["==~"] = FilterOperator.EqualIgnoreCase,
        ["^="] = FilterOperator.StartsWith,
        ["*="] = FilterOperator.Contains,
        ["$="] = FilterOperator.EndsWith,
        ["IN"] = FilterOperator.In,
        ["IN~"] = FilterOperator.InIgnoreCase,
    };

    private readonly string _entity;
    private readonly string _text;
    private readonly List<FilterToken> _tokens;
    private int _next;

    private FilterParser(string entity, string text)
    {
        _entity = entity;
        _text = text;
        _tokens = new FilterLexer(entity, text).Tokenize();
    }

    /// <exception cref="FilterException">The expression does not parse.</exception>
    public static FilterNode Parse(string entity, string text)
    {
        var parser = new FilterParser(entity, text);
        if (parser.Peek.Kind == FilterTokenKind.End)
        {
            throw parser.Error(parser.Peek, "the filter is empty");
        }

        var node = parser.ParseOr();
        return parser.Peek.Kind == FilterTokenKind.End ? node : throw parser.Error(parser.Peek, $"expected AND, OR or the end, found '{parser.Peek.Text}'");
    }

    private FilterToken Peek => _tokens[_next];

    private FilterToken Take() => _tokens[_next++];

    private FilterNode ParseOr()
    {
        var terms = new List<FilterNode> { ParseAnd() };
        while (Peek.Kind == FilterTokenKind.Or)
        {
            Take();
            terms.Add(ParseAnd());
        }

        return terms.Count == 1 ? terms[0] : new FilterOr(terms);
    }

    private FilterNode ParseAnd()
    {
        var terms = new List<FilterNode> { ParsePrimary() };
        while (Peek.Kind == FilterTokenKind.And)
        {
            Take();
            terms.Add(ParsePrimary());
        }

        return terms.Count == 1 ? terms[0] : new FilterAnd(terms);
    }

    private FilterNode ParsePrimary()
    {
        var token = Take();
        if (token.Kind == FilterTokenKind.OpenParen)
        {
            var inner = ParseOr();
            var close = Take();
            return close.Kind == FilterTokenKind.CloseParen ? inner : throw Error(close, $"expected ')' to close the '(' at character {token.Position}");
        }

        if (token.Kind != FilterTokenKind.Identifier)
        {
            throw Error(token, token.Kind == FilterTokenKind.End ? "expected a property name or '(' at the end" : $"expected a property name or '(', found '{token.Text}'");
        }

        var op = Take();
        if (op.Kind != FilterTokenKind.Operator || !OperatorTexts.TryGetValue(op.Text, out var @operator))
        {
            throw Error(op, $"expected an operator (== != > < >= <= ==~ ^= *= $= IN IN~) after '{token.Text}', found '{(op.Kind == FilterTokenKind.End ? "the end" : op.Text)}'");
        }

        return new FilterComparison(token.Text, @operator, ParseOperand(@operator, op), token.Position, op.Position);
    }

    private FilterOperand ParseOperand(FilterOperator @operator, FilterToken op)
    {
        var token = Take();
        switch (token.Kind)
        {
            case FilterTokenKind.Literal when @operator is FilterOperator.In or FilterOperator.InIgnoreCase:
                throw Error(token, $"{op.Text} takes a list [..] or a variable, not a single value");
            case FilterTokenKind.Literal:
                return new FilterConstant(token.Literal!.Value, token.Position);
            case FilterTokenKind.OpenBracket when @operator is not (FilterOperator.In or FilterOperator.InIgnoreCase):
                throw Error(token, $"a list [..] goes with IN or IN~, not with {op.Text}");
            case FilterTokenKind.OpenBracket:
                return ParseList(token);
            case FilterTokenKind.Variable or FilterTokenKind.VariableWithDefault:
                return Variable(token);
            default:
                throw Error(token, $"expected a value after {op.Text}, found '{(token.Kind == FilterTokenKind.End ? "the end" : token.Text)}'");
        }
    }

    private FilterList ParseList(FilterToken open)
    {
        var items = new List<FilterConstant>();
        if (Peek.Kind == FilterTokenKind.CloseBracket)
        {
            Take();
            return new FilterList(items, open.Position);
        }

        while (true)
        {
            var item = Take();
            if (item.Kind != FilterTokenKind.Literal)
            {
                throw Error(item, $"a list holds literals only, found '{(item.Kind == FilterTokenKind.End ? "the end" : item.Text)}'");
            }

            items.Add(new FilterConstant(item.Literal!.Value, item.Position));
            var next = Take();
            if (next.Kind == FilterTokenKind.CloseBracket)
            {
                return new FilterList(items, open.Position);
            }

            if (next.Kind != FilterTokenKind.Comma)
            {
                throw Error(next, $"expected ',' or ']' in the list that starts at character {open.Position}");
            }
        }
    }

    private FilterVariable Variable(FilterToken token)
    {
        var dot = token.Text.IndexOf('.', StringComparison.Ordinal);
        var scope = dot < 0 ? token.Text : token.Text[..dot];
        if (dot < 0 || dot == token.Text.Length - 1)
        {
            throw Error(token, $"a variable is $auth.<claim> or $client.<name>, not ${token.Text}");
        }

        return scope switch
        {
            "auth" => new FilterVariable(FilterVariableScope.Auth, token.Text[(dot + 1)..], token.Literal, token.Position),
            "client" => new FilterVariable(FilterVariableScope.Client, token.Text[(dot + 1)..], token.Literal, token.Position),
            _ => throw Error(token, $"unknown variable scope '{scope}' (known: auth, client)"),
        };
    }

    private FilterException Error(FilterToken at, string reason) => new(_entity, _text, at.Position, reason);
}
