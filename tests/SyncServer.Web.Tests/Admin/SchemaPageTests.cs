using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Stats;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The schema page's upload: validation, the diff against the current version, confirm only when compatible.</summary>
public sealed class SchemaPageTests : BunitTestBase
{
    private readonly FakeAdminService _admin = new();

    public SchemaPageTests() => Services.AddSingleton<IAdminService>(_admin);

    [Fact]
    public async Task An_invalid_upload_is_explained_and_offers_no_confirm()
    {
        var cut = Render<Schema>();

        await cut.InvokeAsync(() => cut.Instance.UseModelAsync("broken.json", "{ \"entities\": [ "));

        Assert.Contains("not a valid model", cut.Find("[data-testid=upload-invalid]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=confirm-upload]"));
    }

    [Fact]
    public async Task A_compatible_upload_shows_the_added_property_and_becomes_current_on_confirm()
    {
        var cut = Render<Schema>();

        await cut.InvokeAsync(() => cut.Instance.UseModelAsync("v2.json", WithNewTagProperty()));

        var diff = cut.Find("[data-testid=upload-diff]").TextContent;
        Assert.Contains("added", diff, StringComparison.Ordinal);
        Assert.Contains("Tag.color", diff, StringComparison.Ordinal);
        cut.Find("[data-testid=confirm-upload]").Click();
        Assert.Equal(["upload: v2.json"], _admin.Applied);
        Assert.Contains("Schema version 2 is now current", cut.Find("[data-testid=schema-notice]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_diff_shows_the_type_of_an_added_property()
    {
        var cut = Render<Schema>();

        await cut.InvokeAsync(() => cut.Instance.UseModelAsync("v2.json", WithNewTagProperty()));

        Assert.Equal("Int", cut.Find("[data-testid='added-type-Tag.color']").TextContent.Trim());
    }

    [Fact]
    public async Task Add_as_a_new_version_stores_it_without_switching_and_the_current_version_stays()
    {
        var cut = Render<Schema>();

        await cut.InvokeAsync(() => cut.Instance.UseModelAsync("v2.json", WithNewTagProperty()));
        cut.Find("[data-testid=add-upload]").Click();

        Assert.Equal(["add upload: v2.json"], _admin.Applied);
        Assert.Equal(1, _admin.CurrentSchema!.Version.Id);
        var notice = cut.Find("[data-testid=schema-notice]").TextContent;
        Assert.Contains("Schema version 2 was added; version 1 stays current", notice, StringComparison.Ordinal);
        Assert.Contains("current", cut.Find("[data-testid=version-1]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("current", cut.Find("[data-testid=version-2]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.FindAll("[data-testid=switch-2]")); // viewable and switchable later
        Assert.Empty(cut.FindAll("[data-testid=upload-result]"));
    }

    [Theory]
    [InlineData("broken.json", "{\n  \"entities\": [],\n}", "broken.json, line 3, column 1: not valid JSON: a trailing comma before the closing '}'")]
    [InlineData("empty.json", "", "empty.json, line 1, column 1: not valid JSON: the file is empty")]
    public async Task A_malformed_file_is_explained_with_its_name_position_and_what_to_fix(string name, string json, string expected)
    {
        var cut = Render<Schema>();

        await cut.InvokeAsync(() => cut.Instance.UseModelAsync(name, json));

        var text = cut.Find("[data-testid=upload-invalid]").TextContent;
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", text, StringComparison.Ordinal);
        Assert.DoesNotContain("isFinalBlock", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incompatible_upload_names_the_conflict_and_changes_nothing()
    {
        var cut = Render<Schema>();

        await cut.InvokeAsync(() => cut.Instance.UseModelAsync("bad.json", WithTagNameType(6)));

        Assert.Contains("incompatible", cut.Find("[data-testid=upload-diff]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Incompatible with the current version 1", cut.Find("[data-testid=upload-incompatible]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=confirm-upload]"));
        Assert.Empty(_admin.Applied);
    }

    [Fact]
    public async Task The_same_model_again_is_recognised_as_an_existing_version()
    {
        var cut = Render<Schema>();

        await cut.InvokeAsync(() => cut.Instance.UseModelAsync("same.json", _admin.ExampleJson));

        Assert.Contains("already stored as schema version 1", cut.Find("[data-testid=upload-existing]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_current_model_lists_entities_properties_flags_and_relations()
    {
        var cut = Render<Schema>();

        var task = cut.Find("[data-testid=model-Task]").TextContent;
        Assert.Contains("projectId", task, StringComparison.Ordinal);
        Assert.Contains("Relation", task, StringComparison.Ordinal);
        Assert.Contains("Indexed", task, StringComparison.Ordinal);
        Assert.Contains("tags", task, StringComparison.Ordinal);
        Assert.Contains("current", cut.Find("[data-testid=current-marker]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Make_current_says_how_many_clients_are_on_the_current_version_and_switches_only_when_confirmed()
    {
        _admin.Versions.Add(new SchemaVersion(2, DateTimeOffset.UnixEpoch, "upload: v2.json", new string('a', 32), true));
        _admin.Clients.Add(Client(7, schemaVersion: 1));
        _admin.Clients.Add(Client(8, schemaVersion: 1));
        _admin.Clients.Add(Client(9, schemaVersion: 2));
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Schema>();

        cut.Find("[data-testid=switch-2]").Click();
        var text = string.Join(" ", dialogs.WaitForElements("[data-testid=confirm-text]").Select(e => e.TextContent));
        Assert.Contains("Version 2 becomes the current schema", text, StringComparison.Ordinal);
        Assert.Contains("2 clients are connected on the current version 1 now", text, StringComparison.Ordinal);
        dialogs.Find("[data-testid=confirm-cancel]").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm-ok]")));
        Assert.Empty(_admin.SchemaCalls);

        cut.Find("[data-testid=switch-2]").Click();
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["switch 2"], _admin.SchemaCalls));
        Assert.Contains("Schema version 2 is now current", cut.Find("[data-testid=schema-notice]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusing_clients_on_the_only_accepting_version_warns_that_every_client_is_refused()
    {
        _admin.Clients.Add(Client(7, schemaVersion: 1));
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<Schema>();

        var refusal = cut.InvokeAsync(() => cut.Instance.SetAcceptAsync(1, false));
        var text = string.Join(" ", dialogs.WaitForElements("[data-testid=confirm-text]").Select(e => e.TextContent));
        Assert.Contains("Clients on schema version 1 can no longer log in. 1 client is connected on it now", text, StringComparison.Ordinal);
        Assert.Contains("every client will be refused", text, StringComparison.Ordinal);
        Assert.Empty(_admin.SchemaCalls);
        dialogs.Find("[data-testid=confirm-ok]").Click();
        await refusal;

        Assert.Equal(["accept 1 False"], _admin.SchemaCalls);
        await cut.InvokeAsync(() => cut.Instance.SetAcceptAsync(1, true)); // turning it on again does not ask
        Assert.Equal(["accept 1 False", "accept 1 True"], _admin.SchemaCalls);
        Assert.Empty(dialogs.FindAll("[data-testid=confirm-ok]"));
    }

    private static ClientStats Client(uint number, int schemaVersion) =>
        new($"{number:X20}", number, "127.0.0.1:5000", DateTimeOffset.UnixEpoch, schemaVersion, 0, 0, 0, 0, 0, 0, 0, null);

    private string WithNewTagProperty()
    {
        var model = JsonNode.Parse(_admin.ExampleJson)!;
        var tag = model["entities"]!.AsArray().First(e => (string)e!["name"]! == "Tag")!;
        tag["properties"]!.AsArray().Add(new JsonObject { ["id"] = "3:900000000000000003", ["name"] = "color", ["type"] = 5 });
        tag["lastPropertyId"] = "3:900000000000000003";
        return model.ToJsonString();
    }

    private string WithTagNameType(int type)
    {
        var model = JsonNode.Parse(_admin.ExampleJson)!;
        var tag = model["entities"]!.AsArray().First(e => (string)e!["name"]! == "Tag")!;
        tag["properties"]!.AsArray().First(p => (string)p!["name"]! == "name")!["type"] = type;
        return model.ToJsonString();
    }
}
