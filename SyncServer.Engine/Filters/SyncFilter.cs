using SyncServer.Core.Model;

namespace SyncServer.Engine.Filters;

// Immutable once parsed; thread-safe.
/// <summary>
/// One entity's sync filter (docs/filters.md), parsed and checked against the entity: every property named exists and
/// has a scalar type, every operator fits the property's type, every literal has the property's type. Variables are
/// left open: <see cref="Resolve"/> binds them to one login's values and gives the predicate that login's deliveries and
/// writes are checked with.
/// </summary>
public sealed class SyncFilter
{
    private readonly FilterNode _root;
    private readonly ModelEntity _entity;

    private SyncFilter(ModelEntity entity, string expression, FilterNode root, IReadOnlyList<string> variables)
    {
        _entity = entity;
        Expression = expression;
        _root = root;
        Variables = variables;
    }

    /// <summary>The entity's name.</summary>
    public string EntityName => _entity.Name;

    /// <summary>The filtered entity, as the model the filter was parsed against has it.</summary>
    public ModelEntity Entity => _entity;

    /// <summary>The entity's UID.</summary>
    public ulong EntityUid => _entity.Id.Uid;

    /// <summary>The properties the filter compares with <c>==</c> or <c>IN</c> (case-sensitive): what the filter index
    /// keeps, so a full sync reads only matching candidates.</summary>
    public IReadOnlyList<ModelProperty> EqualityProperties => [.. Comparisons(_root)
        .Where(c => c.Operator is FilterOperator.Equal or FilterOperator.In)
        .Select(c => _entity.Properties.First(p => p.Name == c.Property))
        .Distinct()];

    /// <summary>The expression as configured.</summary>
    public string Expression { get; }

    /// <summary>The variables the expression reads, as written (<c>$auth.sub</c>), each once, in order of appearance.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>Parses <paramref name="expression"/> and checks it against <paramref name="entity"/>.</summary>
    /// <exception cref="FilterException">It does not parse, or names an unknown property, or a type does not fit.</exception>
    public static SyncFilter Parse(ModelEntity entity, string expression)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(expression);
        var root = FilterParser.Parse(entity.Name, expression);
        var variables = new List<string>();
        Check(root);
        return new SyncFilter(entity, expression, root, variables);

        void Check(FilterNode node)
        {
            switch (node)
            {
                case FilterOr or:
                    or.Terms.ToList().ForEach(Check);
                    break;
                case FilterAnd and:
                    and.Terms.ToList().ForEach(Check);
                    break;
                case FilterComparison comparison:
                    CheckComparison(entity, expression, comparison);
                    if (comparison.Operand is FilterVariable variable && !variables.Contains(variable.Text))
                    {
                        variables.Add(variable.Text);
                    }

                    break;
            }
        }
    }

    /// <summary>The predicate for one login: variables replaced by <paramref name="values"/> (or their defaults).</summary>
    /// <exception cref="FilterVariableMissingException">A variable without a default has no value.</exception>
    public ClientFilter Resolve(FilterVariableValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new ClientFilter(this, Build(_root));

        FilterPredicate Build(FilterNode node) => node switch
        {
            FilterOr or => new FilterPredicate.Any(or.Terms.Select(Build).ToList()),
            FilterAnd and => new FilterPredicate.All(and.Terms.Select(Build).ToList()),
            FilterComparison comparison => BuildComparison(comparison),
            _ => throw new InvalidOperationException($"unknown filter node {node.GetType().Name}"),
        };

        FilterPredicate BuildComparison(FilterComparison comparison)
        {
            var property = _entity.Properties.First(p => p.Name == comparison.Property);
            var kind = KindOf(property)!.Value;
            switch (comparison.Operand)
            {
                case FilterConstant constant:
                    return new FilterPredicate.Compare(_entity, property, kind, comparison.Operator, [constant.Value.ConvertTo(kind)!.Value], isList: false, constant.Value.ToString(), usable: true);
                case FilterList list:
                    return new FilterPredicate.Compare(_entity, property, kind, comparison.Operator, list.Items.Select(i => i.Value.ConvertTo(kind)!.Value).ToList(), isList: true,
                        $"[{string.Join(", ", list.Items.Select(i => i.Value.ToString()))}]", usable: true);
                case FilterVariable variable:
                    var found = values.Find(variable.Scope, variable.Name);
                    if (found is null && variable.Default is { } fallback)
                    {
                        found = ([fallback], false);
                    }

                    if (found is not { } value)
                    {
                        throw new FilterVariableMissingException(_entity.Name, variable.Text);
                    }

                    var converted = value.Values.Select(v => v.ConvertTo(kind)).OfType<FilterValue>().ToList();
                    var shown = value.IsList ? $"[{string.Join(", ", value.Values.Select(v => v.ToString()))}]" : string.Join(", ", value.Values.Select(v => v.ToString()));
                    var fits = value.IsList
                        ? comparison.Operator is FilterOperator.In or FilterOperator.InIgnoreCase
                        : converted.Count == 1;
                    return new FilterPredicate.Compare(_entity, property, kind, comparison.Operator, converted, value.IsList, $"{variable.Text} = {shown}", usable: fits);
                default:
                    throw new InvalidOperationException("unknown operand");
            }
        }
    }

    public override string ToString() => $"{EntityName}: {Expression}";

    private static IEnumerable<FilterComparison> Comparisons(FilterNode node) => node switch
    {
        FilterOr or => or.Terms.SelectMany(Comparisons),
        FilterAnd and => and.Terms.SelectMany(Comparisons),
        FilterComparison comparison => [comparison],
        _ => [],
    };

    /// <summary>The filter value kind of a property, or null when filters cannot read it (vectors, flex, no type).</summary>
    internal static FilterValueKind? KindOf(ModelProperty property) => property.Type switch
    {
        PropertyType.Bool => FilterValueKind.Bool,
        PropertyType.Byte or PropertyType.Short or PropertyType.Char or PropertyType.Int or PropertyType.Long
            or PropertyType.Date or PropertyType.DateNano or PropertyType.Relation => FilterValueKind.Integer,
        PropertyType.Float or PropertyType.Double => FilterValueKind.Float,
        PropertyType.String => FilterValueKind.String,
        _ => null,
    };

    private static void CheckComparison(ModelEntity entity, string expression, FilterComparison comparison)
    {
        var property = entity.Properties.FirstOrDefault(p => p.Name == comparison.Property)
            ?? throw new FilterException(entity.Name, expression, comparison.Position,
                $"entity {entity.Name} has no property '{comparison.Property}' (properties: {string.Join(", ", entity.Properties.Select(p => p.Name))})");
        var kind = KindOf(property)
            ?? throw new FilterException(entity.Name, expression, comparison.Position,
                $"property '{property.Name}' is of type {property.Type}; filters compare only bool, integer, date, relation, float and string properties");
        if (kind != FilterValueKind.String && comparison.Operator is FilterOperator.EqualIgnoreCase or FilterOperator.StartsWith
                or FilterOperator.Contains or FilterOperator.EndsWith or FilterOperator.InIgnoreCase)
        {
            throw new FilterException(entity.Name, expression, comparison.OperatorPosition,
                $"operator {Text(comparison.Operator)} is for string properties; '{property.Name}' is of type {property.Type}");
        }

        var literals = comparison.Operand switch
        {
            FilterConstant constant => [constant],
            FilterList list => list.Items,
            FilterVariable { Default: { } fallback } variable => [new FilterConstant(fallback, variable.Position)],
            _ => [],
        };
        foreach (var literal in literals)
        {
            var fits = literal.Value.Kind == kind || (literal.Value.Kind == FilterValueKind.Integer && kind == FilterValueKind.Float);
            if (!fits)
            {
                throw new FilterException(entity.Name, expression, literal.Position,
                    $"property '{property.Name}' is of type {property.Type} and cannot be compared with {literal.Value.Describe()} ({literal.Value})");
            }
        }
    }

    internal static string Text(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "==",
        FilterOperator.NotEqual => "!=",
        FilterOperator.Greater => ">",
        FilterOperator.Less => "<",
        FilterOperator.GreaterOrEqual => ">=",
        FilterOperator.LessOrEqual => "<=",
        FilterOperator.EqualIgnoreCase => "==~",
        FilterOperator.StartsWith => "^=",
        FilterOperator.Contains => "*=",
        FilterOperator.EndsWith => "$=",
        FilterOperator.In => "IN",
        _ => "IN~",
    };
}
