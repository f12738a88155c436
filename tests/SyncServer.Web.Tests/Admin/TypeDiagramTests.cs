using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Core.Model;
using SyncServer.Web.Components.Diagrams;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The Schema page's type-dependency diagram: server-side SVG, a box per entity, an arrow per relation.</summary>
public sealed class TypeDiagramTests : BunitTestBase
{
    private readonly FakeAdminService _admin = new();

    public TypeDiagramTests() => Services.AddSingleton<IAdminService>(_admin);

    [Fact]
    public void The_schema_page_draws_every_entity_and_its_to_one_and_to_many_relations_as_SVG()
    {
        var cut = Render<Schema>();

        var svg = cut.Find("svg[data-testid=type-diagram]");
        Assert.Equal(["node-Project", "node-Task", "node-Tag"], svg.QuerySelectorAll("g.node").Select(n => n.GetAttribute("data-testid")));
        var edges = svg.QuerySelectorAll("g.edge").Select(e => $"{e.GetAttribute("data-from")} {e.GetAttribute("data-kind")} {e.GetAttribute("data-to")}");
        Assert.Equal(["Task to-one Project", "Task to-many Tag"], edges);
        Assert.Equal("projectId", cut.Find("[data-testid='edge-Task.projectId'] text").TextContent);
        Assert.Equal("tags", cut.Find("[data-testid='edge-Task.tags'] text").TextContent);
        Assert.Contains("url(#type-diagram-many)", cut.Find("[data-testid='edge-Task.tags'] path").GetAttribute("marker-end"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("script")); // drawn on the server, no JS
    }

    [Fact]
    public void Boxes_do_not_overlap_and_arrows_end_on_the_target_box()
    {
        var layout = TypeDiagramLayout.For(ModelJsonReader.Read(_admin.ExampleJson));

        foreach (var a in layout.Nodes)
        {
            Assert.InRange(a.X + a.Width, 0, layout.Width);
            Assert.InRange(a.Y + a.Height, 0, layout.Height);
            foreach (var b in layout.Nodes.Where(b => !ReferenceEquals(a, b)))
            {
                Assert.False(a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height, $"{a.Entity} overlaps {b.Entity}");
            }
        }

        var toProject = layout.Edges.Single(e => e.Id == "Task.projectId");
        var project = layout.Nodes.Single(n => n.Entity == "Project");
        var end = toProject.Path.Split(' ')[^2..].Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var onBorder = Math.Abs(end[0] - project.X) < 0.2 || Math.Abs(end[0] - (project.X + project.Width)) < 0.2
            || Math.Abs(end[1] - project.Y) < 0.2 || Math.Abs(end[1] - (project.Y + project.Height)) < 0.2;
        Assert.True(onBorder, $"the arrow ends at ({end[0]}, {end[1]}), on Project's border");
    }

    [Fact]
    public void A_relation_of_an_entity_to_itself_is_a_loop()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(_admin.ExampleJson)!;
        var tag = json["entities"]!.AsArray().First(e => (string)e!["name"]! == "Tag")!;
        tag["relations"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "2:900000000000000011", ["name"] = "related", ["targetId"] = (string)tag["id"]!,
        });
        json["lastRelationId"] = "2:900000000000000011";

        var layout = TypeDiagramLayout.For(ModelJsonReader.Read(json.ToJsonString()));

        var loop = layout.Edges.Single(e => e.Id == "Tag.related");
        Assert.Equal(("Tag", "Tag", DiagramEdgeKind.ToMany), (loop.From, loop.To, loop.Kind));
        Assert.StartsWith("M ", loop.Path, StringComparison.Ordinal);
        Assert.Contains(" C ", loop.Path, StringComparison.Ordinal);
    }
}
