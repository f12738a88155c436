using SyncServer.Core.Model;
using SyncServer.Web.Formatting;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The object page's JSON: characters as themselves, not <c>\u2014</c>-style escapes.</summary>
public sealed class DisplayJsonTests
{
    private static readonly ObjectBoxModel Model = ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel));

    [Fact]
    public void Dashes_accents_and_html_characters_are_shown_as_themselves()
    {
        var project = Model.FindEntity("Project")!;

        var json = DisplayJson.Object(project, new Dictionary<uint, object?> { [1] = 5ul, [2] = "Plan — café <b>&'\"中" });

        Assert.Contains("\"name\": \"Plan — café <b>&'\\\"中\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
        Assert.Contains("\n  \"id\": 5", json, StringComparison.Ordinal); // indented
    }
}
