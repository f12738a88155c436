using SyncServer.Core.Model;
using SyncServer.Core.Objects;

namespace SyncServer.Engine.Filters;

/// <summary>A resolved filter node: evaluates against an object's bytes.</summary>
internal abstract class FilterPredicate
{
    private const string Arrow = "\u2192";

    public abstract bool Matches(ReadOnlySpan<byte> data);

    /// <summary>Evaluates like <see cref="Matches"/> and appends what it found to <paramref name="lines"/>.</summary>
    public abstract bool Explain(ReadOnlySpan<byte> data, List<string> lines, int depth);

    /// <summary>Index lookups whose union holds every object that matches (each candidate still needs
    /// <see cref="Matches"/>); empty when nothing can match; null when the filter index cannot narrow it (a term without
    /// <c>==</c> or <c>IN</c>).</summary>
    public abstract IReadOnlyList<FilterLookup>? Plan();

    /// <summary>OR: any term.</summary>
    internal sealed class Any(IReadOnlyList<FilterPredicate> terms) : FilterPredicate
    {
        public override bool Matches(ReadOnlySpan<byte> data)
        {
            foreach (var term in terms)
            {
                if (term.Matches(data))
                {
                    return true;
                }
            }

            return false;
        }

        public override bool Explain(ReadOnlySpan<byte> data, List<string> lines, int depth)
        {
            var at = lines.Count;
            lines.Add("");
            var result = false;
            foreach (var term in terms)
            {
                result |= term.Explain(data, lines, depth + 1);
            }

            lines[at] = $"{Indent(depth)}OR {Arrow} {Bool(result)}";
            return result;
        }

        public override IReadOnlyList<FilterLookup>? Plan()
        {
            var lookups = new List<FilterLookup>();
            foreach (var term in terms)
            {
                if (term.Plan() is not { } plan)
                {
                    return null;
                }

                lookups.AddRange(plan);
            }

            return lookups;
        }
    }

    /// <summary>AND: every term.</summary>
    internal sealed class All(IReadOnlyList<FilterPredicate> terms) : FilterPredicate
    {
        public override bool Matches(ReadOnlySpan<byte> data)
        {
            foreach (var term in terms)
            {
                if (!term.Matches(data))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Explain(ReadOnlySpan<byte> data, List<string> lines, int depth)
        {
            var at = lines.Count;
            lines.Add("");
            var result = true;
            foreach (var term in terms)
            {
                result &= term.Explain(data, lines, depth + 1);
            }

            lines[at] = $"{Indent(depth)}AND {Arrow} {Bool(result)}";
            return result;
        }

        // The narrowest term would be best; the first one that can use the index is a good, predictable choice.
        public override IReadOnlyList<FilterLookup>? Plan() => terms.Select(t => t.Plan()).FirstOrDefault(p => p is not null);
    }

    /// <summary>One comparison of a property with resolved values. An operand that did not convert to the property's
    /// type (a variable's value), or a list where one value is needed, is not <c>usable</c>: the comparison is false
    /// whatever the operator, so a bad variable shows the client less, never more.</summary>
    internal sealed class Compare(
        ModelEntity entity, ModelProperty property, FilterValueKind kind, FilterOperator op, IReadOnlyList<FilterValue> values, bool isList,
        string operandText, bool usable) : FilterPredicate
    {
        // IN with many values (a writer's list of 1,000 owners) looks up a set instead of comparing each value.
        private readonly HashSet<FilterValue>? _set = op is FilterOperator.In or FilterOperator.InIgnoreCase && values.Count > 8
            ? new HashSet<FilterValue>(values, op == FilterOperator.InIgnoreCase ? FilterValueComparer.IgnoreCase : FilterValueComparer.Exact)
            : null;

        public override bool Matches(ReadOnlySpan<byte> data) => usable && Evaluate(ReadValue(entity, property, kind, data));

        public override IReadOnlyList<FilterLookup>? Plan() => op switch
        {
            FilterOperator.Equal or FilterOperator.In when !usable => [],
            FilterOperator.Equal => [new FilterLookup(property, [values[0]])],
            FilterOperator.In => [new FilterLookup(property, values)],
            _ => null,
        };

        public override bool Explain(ReadOnlySpan<byte> data, List<string> lines, int depth)
        {
            var value = ReadValue(entity, property, kind, data);
            var result = usable && Evaluate(value);
            var found = value is { } v ? v.ToString() : "absent";
            var why = usable ? "" : isList && op is not (FilterOperator.In or FilterOperator.InIgnoreCase)
                ? " (a list where one value is needed)"
                : $" (the value does not convert to {kind.ToString().ToLowerInvariant()})";
            lines.Add($"{Indent(depth)}{property.Name} {SyncFilter.Text(op)} {operandText}: {property.Name} is {found}{why} {Arrow} {Bool(result)}");
            return result;
        }

        private bool Evaluate(FilterValue? value)
        {
            if (value is not { } v)
            {
                // An absent string: unequal to everything, matched by nothing else.
                return op == FilterOperator.NotEqual;
            }

            return op switch
            {
                FilterOperator.Equal => v.CompareTo(values[0]) == 0,
                FilterOperator.NotEqual => v.CompareTo(values[0]) != 0,
                FilterOperator.Greater => v.CompareTo(values[0]) > 0,
                FilterOperator.Less => v.CompareTo(values[0]) < 0,
                FilterOperator.GreaterOrEqual => v.CompareTo(values[0]) >= 0,
                FilterOperator.LessOrEqual => v.CompareTo(values[0]) <= 0,
                FilterOperator.EqualIgnoreCase => v.CompareTo(values[0], ignoreCase: true) == 0,
                FilterOperator.StartsWith => v.Text!.StartsWith(values[0].Text!, StringComparison.Ordinal),
                FilterOperator.Contains => v.Text!.Contains(values[0].Text!, StringComparison.Ordinal),
                FilterOperator.EndsWith => v.Text!.EndsWith(values[0].Text!, StringComparison.Ordinal),
                FilterOperator.In => _set?.Contains(v) ?? values.Any(candidate => v.CompareTo(candidate) == 0),
                _ => _set?.Contains(v) ?? values.Any(candidate => v.CompareTo(candidate, ignoreCase: true) == 0),
            };
        }
    }

    /// <summary>The property's value as filters compare it; an absent scalar is its zero (as ObjectBox reads it), an
    /// absent string null.</summary>
    internal static FilterValue? ReadValue(ModelEntity entity, ModelProperty property, FilterValueKind kind, ReadOnlySpan<byte> data)
    {
        ObjectCodec.TryReadProperty(entity, data, property.Id.Id, out var raw);
        return raw switch
        {
            null => kind switch
            {
                FilterValueKind.Integer => FilterValue.Of(Int128.Zero),
                FilterValueKind.Float => FilterValue.Of(0d),
                FilterValueKind.Bool => FilterValue.Of(false),
                _ => null,
            },
            bool b => FilterValue.Of(b),
            string s => FilterValue.Of(s),
            float f => FilterValue.Of((double)f),
            double d => FilterValue.Of(d),
            char c => FilterValue.Of((Int128)c),
            sbyte x => FilterValue.Of((Int128)x),
            byte x => FilterValue.Of((Int128)x),
            short x => FilterValue.Of((Int128)x),
            ushort x => FilterValue.Of((Int128)x),
            int x => FilterValue.Of((Int128)x),
            uint x => FilterValue.Of((Int128)x),
            long x => FilterValue.Of((Int128)x),
            ulong x => FilterValue.Of((Int128)x),
            _ => null,
        };
    }

    private static string Indent(int depth) => new(' ', depth * 2);

    private static string Bool(bool value) => value ? "true" : "false";
}

/// <summary>One filter index lookup: the objects whose <paramref name="Property"/> equals one of <paramref name="Values"/>.</summary>
internal sealed record FilterLookup(Core.Model.ModelProperty Property, IReadOnlyList<FilterValue> Values);

/// <summary>Equality of filter values of one kind as <see cref="FilterValue.CompareTo"/> sees it, for sets.</summary>
internal sealed class FilterValueComparer(bool ignoreCase) : IEqualityComparer<FilterValue>
{
    public static FilterValueComparer Exact { get; } = new(ignoreCase: false);

    public static FilterValueComparer IgnoreCase { get; } = new(ignoreCase: true);

    public bool Equals(FilterValue x, FilterValue y) => x.Kind == y.Kind && x.CompareTo(y, ignoreCase) == 0;

    public int GetHashCode(FilterValue value) => value.Kind switch
    {
        FilterValueKind.Integer => value.Integer.GetHashCode(),
        FilterValueKind.Float => value.Float.GetHashCode(),
        FilterValueKind.String => (ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal).GetHashCode(value.Text!),
        _ => value.Bool.GetHashCode(),
    };
}
