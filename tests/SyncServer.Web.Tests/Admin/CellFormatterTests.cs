using Bunit;
using SyncServer.Core.Model;
using SyncServer.Web.Components.Shared;
using SyncServer.Web.Formatting;

namespace SyncServer.Web.Tests.Admin;

/// <summary>Every property type as the data grid shows it.</summary>
#pragma warning disable CA1861 // test data: each array is built once per theory enumeration
public sealed class CellFormatterTests : BunitTestBase
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    public static TheoryData<PropertyType, PropertyFlags, object, CellKind, string> Values() => new()
    {
        { PropertyType.Bool, PropertyFlags.None, true, CellKind.Text, "true" },
        { PropertyType.Byte, PropertyFlags.None, (sbyte)-5, CellKind.Text, "-5" },
        { PropertyType.Byte, PropertyFlags.Unsigned, (byte)250, CellKind.Text, "250" },
        { PropertyType.Short, PropertyFlags.None, (short)-300, CellKind.Text, "-300" },
        { PropertyType.Char, PropertyFlags.None, 'A', CellKind.Text, "'A' (U+0041)" },
        { PropertyType.Int, PropertyFlags.None, 42, CellKind.Text, "42" },
        { PropertyType.Long, PropertyFlags.Unsigned, ulong.MaxValue, CellKind.Text, "18446744073709551615" },
        { PropertyType.Float, PropertyFlags.None, 1.5f, CellKind.Text, "1.5" },
        { PropertyType.Double, PropertyFlags.None, 0.1, CellKind.Text, "0.1" },
        { PropertyType.String, PropertyFlags.None, "hello", CellKind.Text, "hello" },
        { PropertyType.Date, PropertyFlags.None, 1735787045678L, CellKind.Text, "2025-01-02 03:04:05.678 UTC" },
        { PropertyType.DateNano, PropertyFlags.None, 1735787045678123456L, CellKind.Text, "2025-01-02 03:04:05.678123456 UTC" },
        { PropertyType.Relation, PropertyFlags.None, 7UL, CellKind.Relation, "Project 7" },
        { PropertyType.Flex, PropertyFlags.None, new byte[] { 1, 2, 3 }, CellKind.Bytes, "FlexBuffers, 3 bytes" },
        { PropertyType.BoolVector, PropertyFlags.None, new[] { true, false }, CellKind.Vector, "[true, false]" },
        { PropertyType.ByteVector, PropertyFlags.None, new byte[2000], CellKind.Bytes, "2 KB" },
        { PropertyType.ByteVector, PropertyFlags.None, Png, CellKind.Image, "PNG image, 12 bytes" },
        { PropertyType.ShortVector, PropertyFlags.None, new short[] { 1, -2 }, CellKind.Vector, "[1, -2]" },
        { PropertyType.CharVector, PropertyFlags.None, new[] { 'a' }, CellKind.Vector, "['a' (U+0061)]" },
        { PropertyType.IntVector, PropertyFlags.None, new[] { 1, 2, 3, 4, 5, 6, 7 }, CellKind.Vector, "[1, 2, 3, 4, 5, … (7 items)]" },
        { PropertyType.LongVector, PropertyFlags.None, new[] { 9L }, CellKind.Vector, "[9]" },
        { PropertyType.FloatVector, PropertyFlags.None, new[] { 0.5f, 0.25f }, CellKind.Vector, "[0.5, 0.25]" },
        { PropertyType.DoubleVector, PropertyFlags.None, new[] { 1.0, 2.5 }, CellKind.Vector, "[1, 2.5]" },
        { PropertyType.StringVector, PropertyFlags.None, new[] { "a", "b" }, CellKind.Vector, "[a, b]" },
        { PropertyType.DateVector, PropertyFlags.None, new[] { 0L }, CellKind.Vector, "[1970-01-01 00:00:00.000 UTC]" },
        { PropertyType.DateNanoVector, PropertyFlags.None, new[] { 1L }, CellKind.Vector, "[1970-01-01 00:00:00.000000001 UTC]" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Every_property_type_is_formatted_for_its_cell(PropertyType type, PropertyFlags flags, object value, CellKind kind, string text)
    {
        var cell = CellFormatter.Format(Property(type, flags), value);

        Assert.Equal(kind, cell.Kind);
        Assert.Equal(text, cell.Text);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Every_property_type_renders_in_a_value_cell(PropertyType type, PropertyFlags flags, object value, CellKind kind, string text)
    {
        var cut = Render<ValueCell>(p => p.Add(c => c.Value, CellFormatter.Format(Property(type, flags), value)));

        var expected = kind switch
        {
            CellKind.Image => "image",
            CellKind.Relation => "relation",
            CellKind.Vector => "vector",
            CellKind.Bytes => "bytes",
            _ => "text",
        };
        var element = cut.Find($"[data-kind={expected}]");
        Assert.Equal(text, kind == CellKind.Image ? element.GetAttribute("alt") : element.TextContent);
    }

    [Fact]
    public void A_relation_links_to_the_target_object()
    {
        var cut = Render<ValueCell>(p => p.Add(c => c.Value, CellFormatter.Format(Property(PropertyType.Relation, PropertyFlags.None), 7UL)));

        Assert.EndsWith("data/Project/7", cut.Find("a").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_vector_is_abbreviated_and_shows_all_elements_on_demand()
    {
        var values = Enumerable.Range(1, 20).Select(i => (float)i).ToArray();
        var cut = Render<ValueCell>(p => p.Add(c => c.Value, CellFormatter.Format(Property(PropertyType.FloatVector, PropertyFlags.None), values)));
        Assert.Contains("(20 items)", cut.Find("[data-kind=vector]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-kind=toggle]").Click();

        Assert.Equal("[" + string.Join(", ", Enumerable.Range(1, 20)) + "]", cut.Find("[data-kind=vector]").TextContent);
    }

    [Fact]
    public void An_image_preview_is_a_data_url_and_null_shows_as_null()
    {
        var image = CellFormatter.Format(Property(PropertyType.ByteVector, PropertyFlags.None), Png);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), image.ImageDataUrl);

        var cut = Render<ValueCell>(p => p.Add(c => c.Value, CellFormatter.Format(Property(PropertyType.String, PropertyFlags.None), null)));
        Assert.Equal("null", cut.Find("[data-kind=empty]").TextContent);
    }

    private static ModelProperty Property(PropertyType type, PropertyFlags flags) => new()
    {
        Id = new IdUid(2, 1002),
        Name = "p",
        Type = type,
        Flags = flags,
        RelationTarget = type == PropertyType.Relation ? "Project" : null,
    };

    [Fact]
    public void A_long_string_in_the_grid_is_cut_to_one_line_with_the_whole_value_on_hover_and_on_click()
    {
        var text = new string('x', 5000);
        var cut = Render<ValueCell>(p => p
            .Add(c => c.Value, CellFormatter.Format(Property(PropertyType.String, PropertyFlags.None), text))
            .Add(c => c.Truncate, true));

        var span = cut.Find("[data-kind=text]");
        Assert.Equal("cell-text cell-truncate", span.ClassName);
        Assert.Equal(text, span.GetAttribute("title"));
        span.Click();
        Assert.Equal("cell-text cell-truncate cell-expanded", cut.Find("[data-kind=text]").ClassName);
        Assert.Equal(text, cut.Find("[data-kind=text]").TextContent);
    }
}
