using System.Text.Json;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Engine.Filters;

namespace SyncServer.Engine.Tests.Filters;

/// <summary>The sync filter language (docs/filters.md): every operator on every type it applies to, precedence,
/// parentheses, lists, variables with and without defaults, nested and array claims, and every error with its position.</summary>
public sealed class SyncFilterTests
{
    private static readonly ModelEntity Task = ModelJsonReader.Read("""
        {
          "entities": [
            {
              "id": "1:100", "lastPropertyId": "13:113", "name": "Task", "flags": 2,
              "properties": [
                { "id": "1:101", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:102", "name": "title", "type": 9 },
                { "id": "3:103", "name": "ownerId", "type": 9 },
                { "id": "4:104", "name": "priority", "type": 5 },
                { "id": "5:105", "name": "score", "type": 8 },
                { "id": "6:106", "name": "done", "type": 1 },
                { "id": "7:107", "name": "dueAt", "type": 10 },
                { "id": "8:108", "name": "level", "type": 2 },
                { "id": "9:109", "name": "letter", "type": 4 },
                { "id": "10:110", "name": "team", "type": 6, "flags": 8192 },
                { "id": "11:111", "name": "tags", "type": 30 },
                { "id": "12:112", "name": "ratio", "type": 7 },
                { "id": "13:113", "name": "rank", "type": 3 }
              ],
              "relations": []
            }
          ],
          "lastEntityId": "1:100", "lastIndexId": "0:0", "lastRelationId": "0:0", "lastSequenceId": "0:0",
          "modelVersion": 5, "modelVersionParserMinimum": 5,
          "retiredEntityUids": [], "retiredIndexUids": [], "retiredPropertyUids": [], "retiredRelationUids": [], "version": 1
        }
        """).FindEntity(1)!;

    private static readonly byte[] Sample = ObjectCodec.Encode(Task, new Dictionary<uint, object?>
    {
        [1] = 7UL,
        [2] = "Buy Milk",
        [3] = "alice",
        [4] = 3,
        [5] = 2.5,
        [6] = true,
        [7] = 1_700_000_000_000L,
        [8] = (sbyte)-4,
        [9] = 'x',
        [10] = ulong.MaxValue,
        [12] = 0.25f,
        [13] = (short)-300,
    });

    [Theory]
    // Integers (int, byte, short, char, date, unsigned long), each operator.
    [InlineData("priority == 3", true)]
    [InlineData("priority != 3", false)]
    [InlineData("priority > 2", true)]
    [InlineData("priority > 3", false)]
    [InlineData("priority < 4", true)]
    [InlineData("priority >= 3", true)]
    [InlineData("priority <= 2", false)]
    [InlineData("priority IN [1, 3]", true)]
    [InlineData("priority IN [1, 2]", false)]
    [InlineData("priority IN []", false)]
    [InlineData("level == -4", true)]
    [InlineData("level < 0", true)]
    [InlineData("rank == -300", true)]
    [InlineData("letter == 120", true)]
    [InlineData("dueAt >= 1700000000000", true)]
    [InlineData("dueAt < 1700000000000", false)]
    [InlineData("team == 18446744073709551615", true)]
    [InlineData("team > 0", true)]
    [InlineData("id == 7", true)]
    // Floats (double, float), with integer and float literals.
    [InlineData("score == 2.5", true)]
    [InlineData("score > 2", true)]
    [InlineData("score <= 2.4", false)]
    [InlineData("score IN [1, 2.5]", true)]
    [InlineData("ratio == 0.25", true)]
    [InlineData("ratio < 1e-1", false)]
    // Bool.
    [InlineData("done == true", true)]
    [InlineData("done != true", false)]
    [InlineData("done IN [false]", false)]
    // Strings: every operator, case rules.
    [InlineData("ownerId == \"alice\"", true)]
    [InlineData("ownerId == \"Alice\"", false)]
    [InlineData("ownerId ==~ \"ALICE\"", true)]
    [InlineData("ownerId != \"bob\"", true)]
    [InlineData("ownerId > \"aardvark\"", true)]
    [InlineData("ownerId < \"aardvark\"", false)]
    [InlineData("title ^= \"Buy\"", true)]
    [InlineData("title ^= \"buy\"", false)]
    [InlineData("title *= \"y M\"", true)]
    [InlineData("title $= \"Milk\"", true)]
    [InlineData("title $= \"milk\"", false)]
    [InlineData("ownerId IN [\"bob\", \"alice\"]", true)]
    [InlineData("ownerId IN [\"ALICE\"]", false)]
    [InlineData("ownerId IN~ [\"ALICE\"]", true)]
    [InlineData("title == \"Buy\\u0020Milk\"", true)]
    // Precedence and parentheses: AND binds tighter than OR.
    [InlineData("done == false AND priority == 3 OR ownerId == \"alice\"", true)]
    [InlineData("done == false AND (priority == 3 OR ownerId == \"alice\")", false)]
    [InlineData("ownerId == \"bob\" OR done == true AND priority == 1", false)]
    [InlineData("(ownerId == \"bob\" OR done == true) AND priority == 3", true)]
    [InlineData("((priority == 3))", true)]
    [InlineData("priority == 3 and done == true or score < 0", true)]
    public void Every_operator_compares_as_documented(string expression, bool expected)
    {
        var filter = SyncFilter.Parse(Task, expression).Resolve(FilterVariableValues.None);

        Assert.Equal(expected, filter.Matches(Sample));
    }

    [Fact]
    public void An_absent_string_matches_only_not_equal_and_an_absent_number_reads_as_zero()
    {
        var empty = ObjectCodec.Encode(Task, new Dictionary<uint, object?> { [1] = 8UL });

        Assert.False(Match("ownerId == \"\"", empty));
        Assert.True(Match("ownerId != \"alice\"", empty));
        Assert.False(Match("ownerId ^= \"\"", empty));
        Assert.True(Match("priority == 0", empty));
        Assert.True(Match("done == false", empty));
    }

    [Fact]
    public void Variables_come_from_nested_and_array_claims_and_from_client_variables()
    {
        using var claims = JsonDocument.Parse("""{ "sub": "alice", "org": { "id": 3 }, "teams": ["red", "blue"], "admin": true, "level": "-4" }""");
        var values = new FilterVariableValues(
            claims.RootElement,
            new Dictionary<string, IReadOnlyList<string>> { ["owner"] = ["alice"], ["priorities"] = ["1", "3"] },
            new HashSet<string> { "priorities" });

        Assert.True(Match("ownerId == $auth.sub", Sample, values));
        Assert.True(Match("priority == $auth.org.id", Sample, values));
        Assert.True(Match("done == $auth.admin", Sample, values));
        Assert.True(Match("level == $auth.level", Sample, values)); // a string claim converted to the property's type
        Assert.False(Match("title IN $auth.teams", Sample, values));
        Assert.True(Match("ownerId == $client.owner", Sample, values));
        Assert.True(Match("priority IN $client.priorities", Sample, values));
        Assert.True(Match("priority IN $auth.org.id", Sample, values)); // IN with one value is ==
        Assert.False(Match("priority == $client.priorities", Sample, values)); // a list where one value is needed
    }

    [Fact]
    public void A_default_stands_in_for_a_missing_variable_and_a_missing_one_without_default_names_itself()
    {
        Assert.True(Match("ownerId == ${client.owner ?? \"alice\"}", Sample, FilterVariableValues.None));
        Assert.True(Match("priority == ${auth.org.id ?? 3}", Sample, FilterVariableValues.None));
        var withOwner = new FilterVariableValues(null, new Dictionary<string, IReadOnlyList<string>> { ["owner"] = ["bob"] });
        Assert.False(Match("ownerId == ${client.owner ?? \"alice\"}", Sample, withOwner));

        var filter = SyncFilter.Parse(Task, "ownerId == $auth.sub OR team IN $client.teams");
        Assert.Equal(["$auth.sub", "$client.teams"], filter.Variables);
        var missing = Assert.Throws<FilterVariableMissingException>(() => filter.Resolve(FilterVariableValues.None));
        Assert.Equal(("Task", "$auth.sub"), (missing.Entity, missing.Variable));
        Assert.Equal("the sync filter of entity Task needs $auth.sub, which this login does not have", missing.Message);
    }

    [Fact]
    public void A_variable_value_that_does_not_convert_matches_nothing_not_even_not_equal()
    {
        var values = new FilterVariableValues(null, new Dictionary<string, IReadOnlyList<string>> { ["p"] = ["high"] });

        Assert.False(Match("priority == $client.p", Sample, values));
        Assert.False(Match("priority != $client.p", Sample, values));
    }

    [Fact]
    public void Explain_shows_each_comparison_with_its_values_and_result()
    {
        using var claims = JsonDocument.Parse("""{ "sub": "bob" }""");
        var filter = SyncFilter.Parse(Task, "ownerId == $auth.sub OR done == true AND priority > 5")
            .Resolve(new FilterVariableValues(claims.RootElement, new Dictionary<string, IReadOnlyList<string>>()));

        var (matches, lines) = filter.Explain(Sample);

        Assert.False(matches);
        Assert.Equal(
            [
                "OR \u2192 false",
                "  ownerId == $auth.sub = \"bob\": ownerId is \"alice\" \u2192 false",
                "  AND \u2192 false",
                "    done == true: done is true \u2192 true",
                "    priority > 5: priority is 3 \u2192 false",
            ],
            lines);
    }

    [Theory]
    [InlineData("", 1, "the filter is empty")]
    [InlineData("owner == \"a\"", 1, "entity Task has no property 'owner' (properties: id, title, ownerId,")]
    [InlineData("tags == \"a\"", 1, "property 'tags' is of type StringVector; filters compare only")]
    [InlineData("priority == \"3\"", 13, "property 'priority' is of type Int and cannot be compared with a string (\"3\")")]
    [InlineData("done == 1", 9, "property 'done' is of type Bool and cannot be compared with an integer (1)")]
    [InlineData("ownerId == 5", 12, "property 'ownerId' is of type String and cannot be compared with an integer (5)")]
    [InlineData("priority IN [1, \"2\"]", 17, "cannot be compared with a string")]
    [InlineData("priority == ${client.p ?? \"x\"}", 13, "cannot be compared with a string")]
    [InlineData("priority ^= 1", 10, "operator ^= is for string properties; 'priority' is of type Int")]
    [InlineData("priority IN~ [1]", 10, "operator IN~ is for string properties")]
    [InlineData("priority = 3", 10, "unexpected character '='")]
    [InlineData("priority == 3 AND", 18, "expected a property name or '(' at the end")]
    [InlineData("priority == 3 done == true", 15, "expected AND, OR or the end, found 'done'")]
    [InlineData("(priority == 3", 15, "expected ')' to close the '(' at character 1")]
    [InlineData("title == \"open", 10, "the string is not closed")]
    [InlineData("title == \"a\\q\"", 12, "unknown escape '\\q'")]
    [InlineData("priority IN 3", 13, "IN takes a list [..] or a variable, not a single value")]
    [InlineData("priority == [3]", 13, "a list [..] goes with IN or IN~, not with ==")]
    [InlineData("priority IN [1 2]", 16, "expected ',' or ']' in the list that starts at character 13")]
    [InlineData("priority IN [$client.x]", 14, "a list holds literals only")]
    [InlineData("ownerId == $user.name", 12, "unknown variable scope 'user' (known: auth, client)")]
    [InlineData("ownerId == $auth", 12, "a variable is $auth.<claim> or $client.<name>")]
    [InlineData("ownerId == ${auth.sub}", 22, "expected '??' and a default value")]
    [InlineData("priority == 99999999999999999999", 13, "is not a 64-bit integer")]
    [InlineData("priority ==", 12, "expected a value after ==, found 'the end'")]
    [InlineData("== 3", 1, "expected a property name or '(', found '=='")]
    public void A_bad_filter_is_refused_naming_the_entity_and_the_position(string expression, int position, string reason)
    {
        var error = Assert.Throws<FilterException>(() => SyncFilter.Parse(Task, expression));

        Assert.Equal(("Task", position), (error.Entity, error.Position));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"sync filter of entity Task, at character {position}: ", error.Message, StringComparison.Ordinal);
    }

    private static bool Match(string expression, byte[] data, FilterVariableValues? values = null) =>
        SyncFilter.Parse(Task, expression).Resolve(values ?? FilterVariableValues.None).Matches(data);
}
