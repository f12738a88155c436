using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Stats;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The explain view: the request in the URL, the answer (visible or not, why), bad input and refusals inline.</summary>
public sealed class FilterExplainPageTests : BunitTestBase
{
    private const string Expression = "notes == ${client.owner ?? \"nobody\"} OR priority > 2";

    private readonly FakeAdminService _admin = new();

    public FilterExplainPageTests()
    {
        Services.AddSingleton<IAdminService>(_admin);
        _admin.Filters.Add(new EntityFilterInfo("Task", Expression, ["$client.owner"], ["notes"]));
    }

    [Fact]
    public void A_visible_object_says_visible_with_the_summary_expression_variables_and_evaluation()
    {
        _admin.Explanations = (client, entity, id) => FilterExplainResult.Of(new FilterExplanation(
            client, true, entity, id, true, true, $"Client {client} can see {entity} {id}: it matches the filter",
            ["OR → true", "  notes == $client.owner = \"alice\": notes is \"alice\" → true", "  priority > 2: priority is 1 → false"],
            new Dictionary<string, string> { ["$client.owner"] = "\"alice\"" }, Expression));

        var cut = RenderExplain("7", "Task", "42");

        Assert.Equal(["7 Task 42"], _admin.ExplainCalls);
        Assert.StartsWith("Visible: client 7 can see Task 42", cut.Find("[data-testid=explain-visible]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Client 7 can see Task 42: it matches the filter", cut.Find("[data-testid=explain-summary]").TextContent);
        Assert.Equal(Expression, cut.Find("[data-testid=explain-expression]").TextContent);
        Assert.Equal("\"alice\"", cut.Find("[data-testid='explain-variable-$client.owner']").TextContent);
        Assert.Equal(
            "OR → true\n  notes == $client.owner = \"alice\": notes is \"alice\" → true\n  priority > 2: priority is 1 → false",
            cut.Find("pre[data-testid=explain-lines]").TextContent);
        Assert.Contains("connected", cut.Find("[data-testid=explain-client-state]").TextContent, StringComparison.Ordinal);
        Assert.Equal("data/Task/42", cut.Find("[data-testid=explain-object] a").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=explain-error]"));
    }

    [Fact]
    public void An_object_that_does_not_match_says_not_visible_and_a_variable_not_sent_shows_that_the_default_applies()
    {
        _admin.Explanations = (client, entity, id) => FilterExplainResult.Of(new FilterExplanation(
            client, false, entity, id, true, false, $"Client {client} cannot see {entity} {id}: it does not match the filter",
            ["OR → false", "  notes == ${client.owner ?? \"nobody\"} = \"nobody\": notes is \"bob\" → false", "  priority > 2: priority is 1 → false"],
            new Dictionary<string, string>(), Expression));

        var cut = RenderExplain("9", "Task", "43");

        Assert.StartsWith("Not visible: client 9 cannot see Task 43", cut.Find("[data-testid=explain-visible]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Client 9 cannot see Task 43: it does not match the filter", cut.Find("[data-testid=explain-summary]").TextContent);
        Assert.Equal("not sent", cut.Find("[data-testid='explain-variable-$client.owner']").TextContent);
        Assert.Contains("notes is \"bob\" → false", cut.Find("[data-testid=explain-lines]").TextContent, StringComparison.Ordinal);
        Assert.Contains("not connected", cut.Find("[data-testid=explain-client-state]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connected_client_that_did_not_send_a_variable_is_explained_with_the_filters_default()
    {
        _admin.Explanations = (client, entity, id) => FilterExplainResult.Of(new FilterExplanation(
            client, true, entity, id, true, false, $"Client {client} cannot see {entity} {id}: it does not match the filter",
            ["OR → false"], new Dictionary<string, string>(), Expression));

        var cut = RenderExplain("7", "Task", "43");

        Assert.Equal("not sent: the filter's default applies", cut.Find("[data-testid='explain-variable-$client.owner']").TextContent);
    }

    [Fact]
    public void Explain_with_a_part_missing_says_what_is_missing()
    {
        var cut = RenderExplain(null, "Task", null);

        cut.Find("input#explain-client").Change("7");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("Enter an object ID.", cut.Find("[data-testid=explain-error]").TextContent));
        Assert.Empty(_admin.ExplainCalls);
    }

    [Fact]
    public void An_object_that_does_not_exist_says_so_and_not_visible()
    {
        _admin.Explanations = (client, entity, id) => FilterExplainResult.Of(new FilterExplanation(
            client, true, entity, id, false, false, $"{entity} {id} does not exist (it was never stored, or it was removed)",
            [], new Dictionary<string, string>(), Expression));

        var cut = RenderExplain("7", "Task", "999");

        Assert.StartsWith("Not visible", cut.Find("[data-testid=explain-visible]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("Task 999 does not exist (it was never stored, or it was removed)", cut.Find("[data-testid=explain-summary]").TextContent);
        Assert.Equal("Task 999 does not exist", cut.Find("[data-testid=explain-object]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=explain-lines]"));
    }

    [Fact]
    public void An_entity_without_a_filter_says_it_syncs_to_every_client()
    {
        _admin.Explanations = (client, entity, id) => FilterExplainResult.Of(new FilterExplanation(
            client, true, entity, id, true, true, $"{entity} has no sync filter: every client can see {entity} {id}",
            [], new Dictionary<string, string>(), null));

        var cut = RenderExplain("7", "Project", "5");

        Assert.Equal("none: Project syncs to every client", cut.Find("[data-testid=explain-expression]").TextContent);
        Assert.Equal("The filter reads no variables.", cut.Find("[data-testid=explain-no-variables]").TextContent);
    }

    [Theory]
    [InlineData("99", "Task", "1", "No client has number 99")]
    [InlineData("7", "Nope", "1", "The current schema has no entity 'Nope'")]
    public void The_engines_refusal_shows_inline(string client, string entity, string id, string expected)
    {
        _admin.Explanations = (number, name, _) => FilterExplainResult.Refused(
            name == "Nope" ? $"The current schema has no entity '{name}'" : $"No client has number {number}");

        var cut = RenderExplain(client, entity, id);

        Assert.Equal(expected, cut.Find("[data-testid=explain-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=explain-result]"));
    }

    [Theory]
    [InlineData("abc", "Task", "1", "Client number \"abc\" is not a number from 1 to 4294967295.")]
    [InlineData("-3", "Task", "1", "Client number \"-3\" is not a number from 1 to 4294967295.")]
    [InlineData("7", "Task", "x12", "Object ID \"x12\" is not a number from 1 to 18446744073709551615.")]
    [InlineData("7", "Task", "0", "Object ID \"0\" is not a number from 1 to 18446744073709551615.")]
    public void Input_that_is_not_a_number_is_explained_without_asking_the_engine(string client, string entity, string id, string expected)
    {
        var cut = RenderExplain(client, entity, id);

        Assert.Equal(expected, cut.Find("[data-testid=explain-error]").TextContent);
        Assert.Empty(_admin.ExplainCalls);
    }

    [Fact]
    public void A_partial_query_only_fills_the_form_and_explain_puts_the_request_into_the_url()
    {
        _admin.Clients.Add(new ClientStats("0A1B", 7, "127.0.0.1:5000", DateTimeOffset.UnixEpoch, 1, 0, 0, 0, 0, 0, 0, 0, null));
        var cut = RenderExplain("7", null, null);

        Assert.Empty(_admin.ExplainCalls);
        Assert.Empty(cut.FindAll("[data-testid=explain-result]"));
        Assert.Equal("7", cut.Find("input#explain-client").GetAttribute("value"));

        cut.Find("input#explain-id").Change("42");
        cut.Find("form").Submit();

        // The only filtered entity is preselected; the request is now in the URL (shareable, reloadable), and answered.
        var uri = new Uri(Services.GetRequiredService<NavigationManager>().Uri);
        Assert.Equal("?client=7&entity=Task&id=42", uri.Query);
        cut.WaitForAssertion(() => Assert.Equal("No client has number 7", cut.Find("[data-testid=explain-error]").TextContent));
        Assert.Equal(["7 Task 42"], _admin.ExplainCalls);
    }

    [Fact]
    public async Task Picking_a_connected_client_fills_in_its_number()
    {
        _admin.Clients.Add(new ClientStats("0A1B", 7, "127.0.0.1:5000", DateTimeOffset.UnixEpoch, 1, 0, 0, 0, 0, 0, 0, 0, null));
        _admin.Clients.Add(new ClientStats("0C1D", 8, "127.0.0.1:5001", DateTimeOffset.UnixEpoch, 1, 0, 0, 0, 0, 0, 0, 0, null));
        var popovers = Render<MudBlazor.MudPopoverProvider>();
        var cut = RenderExplain(null, "Task", "42");
        Assert.Equal("", cut.Find("input#explain-client").GetAttribute("value") ?? "");

        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSelect<uint?>>().Instance.OpenMenu());
        var item = popovers.WaitForElement(".mud-list-item:contains('#8 · 127.0.0.1:5001')");
        item.Click();

        cut.WaitForAssertion(() => Assert.Equal("8", cut.Find("input#explain-client").GetAttribute("value")));
    }

    // The page reads its request from the URL, as a shared link gives it.
    private IRenderedComponent<FilterExplain> RenderExplain(string? client, string? entity, string? id)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameters("filters/explain", new Dictionary<string, object?>
        {
            ["client"] = client,
            ["entity"] = entity,
            ["id"] = id,
        }));
        return Render<FilterExplain>();
    }
}
