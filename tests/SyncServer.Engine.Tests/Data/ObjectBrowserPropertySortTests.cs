using Microsoft.Extensions.Logging.Abstractions;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Engine.Data;
using SyncServer.Engine.Storage;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Engine.Tests.Data;

/// <summary>ObjectBrowser.PageByProperty: the order per property type, ties, paging, and the object count limit.</summary>
public sealed class ObjectBrowserPropertySortTests : IDisposable
{
    private static readonly ModelEntity Sorted = SortedEntity();

    private readonly TempDirectory _temp = new();
    private readonly SyncDatabase _database;

    public ObjectBrowserPropertySortTests()
    {
        _database = SyncDatabase.Open(new SyncDatabaseOptions { DataDirectory = _temp.Path }, NullLoggerFactory.Instance);
    }

    public void Dispose()
    {
        _database.Dispose();
        _temp.Dispose();
    }

    /// <summary>Property, the values of objects 1, 2, 3, ... (null: absent), and the IDs in ascending order.</summary>
    public static TheoryData<string, object?[], ulong[]> Orders => new()
    {
        { "text", ["b", null, "B", "a", "b", "é", "", "ab"], [2, 7, 3, 4, 8, 1, 5, 6] },
        { "int", [5, -3, null, int.MinValue, 0, int.MaxValue, -3], [3, 4, 2, 7, 5, 1, 6] },
        { "uint", [uint.MaxValue, 0u, 1u, 2_147_483_648u], [2, 3, 4, 1] },
        { "long", [long.MaxValue, -1L, long.MinValue, 0L], [3, 2, 4, 1] },
        { "ulong", [ulong.MaxValue, 1UL, 9_223_372_036_854_775_808UL, 0UL, null], [5, 4, 2, 3, 1] },
        { "short", [(short)-2, (short)1, short.MinValue], [3, 1, 2] },
        { "byte", [(sbyte)-1, (sbyte)127, sbyte.MinValue], [3, 1, 2] },
        { "double", [1.5, double.NaN, double.NegativeInfinity, -0.0, 0.0, -2.5, null, double.PositiveInfinity], [7, 2, 3, 6, 4, 5, 1, 8] },
        { "float", [1f, -1f, float.NaN], [3, 2, 1] },
        { "date", [1_700_000_000_000L, -86_400_000L, 0L, null], [4, 2, 3, 1] },
        { "bool", [true, false, null, true, false], [3, 2, 5, 1, 4] },
        { "char", ['b', 'A', 'é'], [2, 1, 3] },
        { "project", [3UL, 0UL, 2UL], [2, 3, 1] },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Sorts_by_value_with_nulls_first_and_ties_by_id(string property, object?[] values, ulong[] ascending)
    {
        for (var i = 0; i < values.Length; i++)
        {
            Put((ulong)i + 1, (property, values[i]));
        }

        var browser = new ObjectBrowser(_database);

        Assert.Equal(ascending, Ids(browser.PageByProperty(Sorted, IdOf(property), 0, 100)));
        Assert.Equal(Enumerable.Reverse(ascending), Ids(browser.PageByProperty(Sorted, IdOf(property), 0, 100, descending: true)));
    }

    [Fact]
    public void Pages_in_either_direction_join_up_to_the_whole_order_without_gaps_or_repeats()
    {
        for (ulong id = 1; id <= 57; id++)
        {
            Put(id, ("int", id % 7 == 0 ? null : (object)((int)(id % 5) - 2)));
        }

        var browser = new ObjectBrowser(_database);
        var expected = Enumerable.Range(1, 57).Select(i => (ulong)i)
            .OrderBy(id => id % 7 == 0 ? int.MinValue : (int)(id % 5) - 2).ThenBy(id => id).ToList();

        var ascending = Enumerable.Range(0, 6).SelectMany(page => Ids(browser.PageByProperty(Sorted, IdOf("int"), page * 10, 10))).ToList();
        var descending = Enumerable.Range(0, 6).SelectMany(page => Ids(browser.PageByProperty(Sorted, IdOf("int"), page * 10, 10, descending: true))).ToList();

        Assert.Equal(expected, ascending);
        Assert.Equal(Enumerable.Reverse(expected), descending);
        Assert.Empty(browser.PageByProperty(Sorted, IdOf("int"), 57, 10));
    }

    [Fact]
    public void A_page_holds_the_stored_objects_with_their_positions_and_bytes()
    {
        Put(1, ("text", "z"));
        Put(2, ("text", "y"));

        var page = new ObjectBrowser(_database).PageByProperty(Sorted, IdOf("text"), 0, 1);

        var only = Assert.Single(page);
        Assert.Equal(2ul, only.Id);
        Assert.Equal(102ul, only.Position);
        Assert.Equal("y", ObjectCodec.Decode(Sorted, only.Data)[IdOf("text")]);
    }

    [Fact]
    public void Objects_whose_bytes_do_not_decode_sort_with_the_nulls()
    {
        Put(1, ("int", 1));
        PutBytes(2, [1, 2, 3]);
        Put(3, ("int", -1));

        Assert.Equal([2ul, 3, 1], Ids(new ObjectBrowser(_database).PageByProperty(Sorted, IdOf("int"), 0, 10)));
    }

    [Fact]
    public void Over_the_limit_a_property_sort_is_refused_saying_why_while_id_and_last_change_sorts_still_work()
    {
        for (ulong id = 1; id <= 4; id++)
        {
            Put(id, ("int", 10 - (int)id));
        }

        var atLimit = new ObjectBrowser(_database, propertySortLimit: 4);
        var overLimit = new ObjectBrowser(_database, propertySortLimit: 3);

        Assert.Equal([4ul, 3, 2, 1], Ids(atLimit.PageByProperty(Sorted, IdOf("int"), 0, 10)));
        Assert.Null(atLimit.PropertySortRefusal(Sorted, 4));
        var refused = Assert.Throws<PropertySortRefusedException>(() => overLimit.PageByProperty(Sorted, IdOf("int"), 0, 10));
        Assert.Equal(
            "Sorting by a property is off for \"Sorted\": it has 4 objects, more than the limit of 3 (a property sort decodes every "
            + "object; --admin-sort-limit sets the limit). Sorting by ID or last change works at any size.",
            refused.Message);
        Assert.Equal(refused.Message, overLimit.PropertySortRefusal(Sorted, 4));
        Assert.Equal((4L, 3), (refused.ObjectCount, refused.Limit));
        Assert.Equal([4ul, 3, 2, 1], Ids(overLimit.Page(Sorted.Id.Uid, 0, 10, ObjectOrder.Id, descending: true)));
        Assert.Equal([1ul, 2, 3, 4], Ids(overLimit.Page(Sorted.Id.Uid, 0, 10, ObjectOrder.LastChange)));
    }

    [Fact]
    public void The_default_limit_is_200000_objects()
    {
        var browser = new ObjectBrowser(_database);

        Assert.Equal(200_000, browser.PropertySortLimit);
        Assert.Null(browser.PropertySortRefusal(Sorted, 200_000));
        Assert.Contains("200,001 objects, more than the limit of 200,000", browser.PropertySortRefusal(Sorted, 200_001), StringComparison.Ordinal);
    }

    [Fact]
    public void Vector_bytes_and_flex_properties_do_not_sort()
    {
        var browser = new ObjectBrowser(_database);

        foreach (var name in new[] { "longVector", "bytes", "flex" })
        {
            Assert.False(ObjectBrowser.CanSortBy(Sorted.FindProperty(name)!));
            var error = Assert.Throws<ArgumentException>(() => browser.PageByProperty(Sorted, IdOf(name), 0, 10));
            Assert.Contains($"\"{name}\"", error.Message, StringComparison.Ordinal);
        }

        Assert.All(
            Sorted.Properties.Where(p => p.Name is not ("longVector" or "bytes" or "flex")),
            p => Assert.True(ObjectBrowser.CanSortBy(p), p.Name));
    }

    private static ModelEntity SortedEntity()
    {
        var json = ModelJson.Example();
        json.AddEntity("Sorted");
        json.AddProperty("Sorted", "text", PropertyType.String);
        json.AddProperty("Sorted", "int", PropertyType.Int);
        json.AddProperty("Sorted", "uint", PropertyType.Int, PropertyFlags.Unsigned);
        json.AddProperty("Sorted", "long", PropertyType.Long);
        json.AddProperty("Sorted", "ulong", PropertyType.Long, PropertyFlags.Unsigned);
        json.AddProperty("Sorted", "short", PropertyType.Short);
        json.AddProperty("Sorted", "byte", PropertyType.Byte);
        json.AddProperty("Sorted", "double", PropertyType.Double);
        json.AddProperty("Sorted", "float", PropertyType.Float);
        json.AddProperty("Sorted", "date", PropertyType.Date);
        json.AddProperty("Sorted", "bool", PropertyType.Bool);
        json.AddProperty("Sorted", "char", PropertyType.Char);
        json.AddProperty("Sorted", "project", PropertyType.Relation)["relationTarget"] = "Project";
        json.AddProperty("Sorted", "longVector", PropertyType.LongVector);
        json.AddProperty("Sorted", "bytes", PropertyType.ByteVector);
        json.AddProperty("Sorted", "flex", PropertyType.Flex);
        return json.Load().FindEntity("Sorted")!;
    }

    private static uint IdOf(string property) => Sorted.FindProperty(property)!.Id.Id;

    private static IEnumerable<ulong> Ids(IEnumerable<StoredObject> objects) => objects.Select(o => o.Id);

    /// <summary>Stores an object with the ID and one property (absent when null) at position 100 + ID.</summary>
    private void Put(ulong id, (string Property, object? Value) value)
    {
        var values = new Dictionary<uint, object?> { [IdOf("id")] = id };
        if (value.Value is not null)
        {
            values[IdOf(value.Property)] = value.Value;
        }

        PutBytes(id, ObjectCodec.Encode(Sorted, values));
    }

    private void PutBytes(ulong id, byte[] data) => _database.Write((connection, _) =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO objects (entity_uid, id, data, position) VALUES ($uid, $id, $data, $position)";
        command.Parameters.AddWithValue("$uid", unchecked((long)Sorted.Id.Uid));
        command.Parameters.AddWithValue("$id", (long)id);
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$position", 100 + (long)id);
        return command.ExecuteNonQuery();
    });
}
