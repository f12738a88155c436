namespace SyncServer.Engine.Filters;

/// <summary>One token of a filter expression; <see cref="Position"/> is 1-based.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position, FilterValue? Literal = null);

/// <summary>What a <see cref="FilterToken"/> is.</summary>
internal enum FilterTokenKind
{
    End,
    Identifier,
    /// <summary>A literal: integer, float, string, true or false (<see cref="FilterToken.Literal"/>).</summary>
    Literal,
    /// <summary><c>$scope.path</c>; <see cref="FilterToken.Text"/> is <c>scope.path</c>.</summary>
    Variable,
    /// <summary><c>${scope.path ?? literal}</c>; the text is the path, the literal the default.</summary>
    VariableWithDefault,
    Operator,
    And,
    Or,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
}
