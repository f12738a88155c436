namespace SyncServer.Engine.Filters;

// The syntax tree of a filter expression, as FilterParser builds it. Positions are 1-based character positions.

/// <summary>A node of a parsed filter: OR, AND or one comparison.</summary>
internal abstract record FilterNode(int Position);

/// <summary>Any of <see cref="Terms"/> (two or more).</summary>
internal sealed record FilterOr(IReadOnlyList<FilterNode> Terms) : FilterNode(Terms[0].Position);

/// <summary>All of <see cref="Terms"/> (two or more).</summary>
internal sealed record FilterAnd(IReadOnlyList<FilterNode> Terms) : FilterNode(Terms[0].Position);

/// <summary><c>property operator operand</c>.</summary>
internal sealed record FilterComparison(string Property, FilterOperator Operator, FilterOperand Operand, int Position, int OperatorPosition)
    : FilterNode(Position);

/// <summary>The right side of a comparison.</summary>
internal abstract record FilterOperand(int Position);

/// <summary>A literal: <c>42</c>, <c>"a"</c>, <c>true</c>.</summary>
internal sealed record FilterConstant(FilterValue Value, int Position) : FilterOperand(Position);

/// <summary>A list literal: <c>[1, 2]</c>, <c>["a", "b"]</c>.</summary>
internal sealed record FilterList(IReadOnlyList<FilterConstant> Items, int Position) : FilterOperand(Position);

/// <summary><c>$auth.claim</c>, <c>$client.name</c>, or with a default <c>${client.team ?? "green"}</c>.</summary>
internal sealed record FilterVariable(FilterVariableScope Scope, string Name, FilterValue? Default, int Position) : FilterOperand(Position)
{
    /// <summary>As written without the default: <c>$auth.org.id</c>.</summary>
    public string Text => $"${(Scope == FilterVariableScope.Auth ? "auth" : "client")}.{Name}";
}

/// <summary>Where a variable's value comes from.</summary>
public enum FilterVariableScope
{
    /// <summary><c>$auth.&lt;claim&gt;</c>: a claim of the client's validated JWT (dots reach nested claims); for an
    /// admin-user login <c>$auth.user</c> is the user name.</summary>
    Auth,

    /// <summary><c>$client.&lt;name&gt;</c>: a filter variable the client sent at login.</summary>
    Client,
}

/// <summary>The comparison operators (docs/filters.md).</summary>
internal enum FilterOperator
{
    Equal,
    NotEqual,
    Greater,
    Less,
    GreaterOrEqual,
    LessOrEqual,
    /// <summary><c>==~</c>, strings only.</summary>
    EqualIgnoreCase,
    /// <summary><c>^=</c>, strings only.</summary>
    StartsWith,
    /// <summary><c>*=</c>, strings only.</summary>
    Contains,
    /// <summary><c>$=</c>, strings only.</summary>
    EndsWith,
    In,
    /// <summary><c>IN~</c>, strings only.</summary>
    InIgnoreCase,
}
