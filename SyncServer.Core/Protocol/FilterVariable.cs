namespace SyncServer.Core.Protocol;

/// <summary>
/// One filter variable a client sends in LOGIN (protocol version 2): the value of <c>$client.&lt;Name&gt;</c> in the
/// server's sync filters (docs/filters.md). A list variable (<paramref name="IsList"/>) is meant for <c>IN</c>; a single
/// value has exactly one element in <paramref name="Values"/>.
/// </summary>
/// <param name="Name">1 to <see cref="MessageCodec.MaxFilterVariableNameLength"/> bytes of UTF-8, unique in one LOGIN.</param>
public sealed record FilterVariable(string Name, IReadOnlyList<string> Values, bool IsList)
{
    /// <summary>A single-value variable.</summary>
    public static FilterVariable Of(string name, string value) => new(name, [value], IsList: false);

    /// <summary>A list variable (for <c>IN</c>).</summary>
    public static FilterVariable List(string name, params IReadOnlyList<string> values) => new(name, values, IsList: true);
}
