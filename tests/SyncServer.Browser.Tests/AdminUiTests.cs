using SyncServer.Client;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using SyncServer.Core.Objects;

namespace SyncServer.Browser.Tests;

/// <summary>
/// The admin UI in Chromium against the real server process. Each test logs in in its own browser context; the first-run
/// setup through the logged URL happens once, in whichever test runs first (<see cref="SetupAndLoginAsync"/>).
/// </summary>
[Collection(AdminServerGroup.Name)]
public sealed class AdminUiTests(AdminServerFixture fixture)
{
    private static readonly SemaphoreSlim SetupGate = new(1, 1);
    private static bool _setupDone;
    private static readonly HttpClient Anonymous = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task First_run_setup_through_the_logged_token_creates_the_admin_and_then_no_longer_exists()
    {
        await SetupAndLoginAsync();

        using var again = await Anonymous.GetAsync(new Uri(fixture.SetupUrl));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("there is nothing at this address", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the app's page
        Assert.Contains(fixture.Server.Output, l => l.Contains("[INFO ] [HttpSv] First admin user \"admin\" created through the setup page", StringComparison.Ordinal));

        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("Account/Login"));
        Assert.Equal(0, await page.Locator("[data-testid=setup-hint]").CountAsync()); // an admin exists now
        await AdminServerFixture.ScreenshotAsync(page, "login");
        await fixture.LoginAsync(page);
        Assert.Equal("Logged in as admin", await page.Locator("[data-testid=current-user]").InnerTextAsync());
    }

    [Fact]
    public async Task A_failed_login_is_logged_with_the_remote_address()
    {
        await SetupAndLoginAsync();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("Account/Login"));
        await page.GetByLabel("User name").FillAsync("mallory");
        await page.GetByLabel("Password").FillAsync("Wrong-pass-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

        await fixture.Server.WaitForLineAsync(new System.Text.RegularExpressions.Regex(
            @"\[WARN \] \[HttpSv\] Admin login failed for ""mallory"" from 127\.0\.0\.1$"));
    }

    [Fact]
    public async Task An_unknown_URL_shows_the_apps_not_found_page_with_status_404()
    {
        await SetupAndLoginAsync();
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page);

        var response = await page.GotoAsync(fixture.Url("no-such-page"));

        Assert.Equal(404, response!.Status);
        Assert.Equal("Not found", await page.Locator("[data-testid=not-found]").InnerTextAsync());
        Assert.Equal("Not found · SyncServer", await page.TitleAsync());
    }

    [Fact]
    public async Task Every_page_and_endpoint_refuses_an_anonymous_request()
    {
        await SetupAndLoginAsync();
        foreach (var path in new[] { "", "data", "data/Task", "data/Task/1", "schema", "status", "statistics", "clients", "users", "not-a-page" })
        {
            using var response = await Anonymous.GetAsync(new Uri(fixture.Url(path)));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        foreach (var path in new[] { "api/export.json", "api/export/Task.json", "api/schema/1.json", "metrics" })
        {
            using var response = await Anonymous.GetAsync(new Uri(fixture.Url(path)));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var hub = await Anonymous.PostAsync(new Uri(fixture.Url("_blazor/negotiate?negotiateVersion=1")), null);
        Assert.NotEqual(HttpStatusCode.OK, hub.StatusCode);
        using var statsHub = await Anonymous.PostAsync(new Uri(fixture.Url("hubs/stats/negotiate?negotiateVersion=1")), null);
        Assert.Equal(HttpStatusCode.Unauthorized, statsHub.StatusCode);

        using var scrape = new HttpRequestMessage(HttpMethod.Get, fixture.Url("metrics"));
        scrape.Headers.Authorization = new("Bearer", AdminServerFixture.MetricsToken);
        using var metrics = await Anonymous.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task Synced_objects_appear_in_the_data_grid_and_the_downloaded_JSON_equals_what_was_synced()
    {
        await SetupAndLoginAsync();
        var project = fixture.Model.FindEntity("Project")!;

        // The real client SDK, as an app would use it: local puts, uploaded and ACKed by the server.
        using var clientDir = new TempDirectory();
        await using var sdk = new SyncClient(new SyncClientOptions
        {
            ServerUrls = [fixture.Server.SyncUrl],
            ModelJson = File.ReadAllText(TestPaths.ExampleModel),
            DataDirectory = clientDir.Path,
        });
        sdk.Start();
        var localIds = Enumerable.Range(1, 3).Select(i => sdk.Box("Project").Put(new Dictionary<string, object?>
        {
            ["name"] = $"Browser project {i}",
            ["color"] = i * 10,
            ["createdAt"] = 1735787045678L + i,
        })).ToList();
        using (var uploaded = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await sdk.WaitForUploadAsync(uploaded.Token);
        }

        // On the server the objects carry their global IDs (docs/ids.md): client number << 40 | local ID.
        var sent = localIds.Select((localId, i) => new Dictionary<uint, object?>
        {
            [1] = ((ulong)sdk.ClientNumber << 40) | localId,
            [2] = $"Browser project {i + 1}",
            [3] = (i + 1) * 10,
            [4] = 1735787045678L + i + 1,
        }).ToList();

        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page);
        await page.GotoAsync(fixture.Url("data"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        Assert.Equal("3", await page.Locator("[data-testid=count-Project]").InnerTextAsync());
        await AdminServerFixture.ScreenshotAsync(page, "data");

        await page.GotoAsync(fixture.Url("data/Project"));
        await page.GetByText("Browser project 3").WaitForAsync();
        Assert.Equal(3, await page.Locator("[data-testid=objects-grid] tbody tr").CountAsync());
        await page.GetByText("2025-01-02 03:04:05.680 UTC").WaitForAsync(); // createdAt of project 2, readable
        await AdminServerFixture.ScreenshotAsync(page, "entity-grid");

        await page.GetByRole(AriaRole.Link, new() { Name = sent[0][1]!.ToString(), Exact = true }).ClickAsync();
        await page.Locator("[data-testid=object-json]").WaitForAsync();
        Assert.Contains("\"name\": \"Browser project 1\"", await page.Locator("[data-testid=object-json]").InnerTextAsync(), StringComparison.Ordinal);
        await AdminServerFixture.ScreenshotAsync(page, "object");

        var download = await page.Context.APIRequest.GetAsync(fixture.Url("api/export/Project.json"));
        Assert.Equal(200, download.Status);
        using var export = JsonDocument.Parse(await download.BodyAsync());
        var objects = export.RootElement.GetProperty("entities")[0].GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(sent.Count, objects.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            using var expected = JsonDocument.Parse(ObjectJsonText(project, sent[i]));
            Assert.Equal(expected.RootElement.GetRawText(), objects[i].GetRawText());
        }
    }

    [Fact]
    public async Task A_compatible_upload_becomes_current_and_an_incompatible_one_is_refused_with_the_reason()
    {
        await SetupAndLoginAsync();
        using var dir = new TempDirectory();
        var json = File.ReadAllText(TestPaths.ExampleModel);
        var compatible = dir.Combine("model-v2.json");
        File.WriteAllText(compatible, AddTagColor(json));
        var incompatible = dir.Combine("model-bad.json");
        File.WriteAllText(incompatible, json.Replace("\"name\": \"name\",\n          \"type\": 9", "\"name\": \"name\",\n          \"type\": 6", StringComparison.Ordinal)
            is var changed && changed != json ? changed : ChangeTagNameType(json));

        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page);
        await page.GotoAsync(fixture.Url("schema"));
        await AdminServerFixture.WaitInteractiveAsync(page);

        await page.Locator("input[type=file]").Last.SetInputFilesAsync(incompatible);
        var refusal = page.Locator("[data-testid=upload-incompatible]");
        await refusal.WaitForAsync();
        Assert.Contains("Incompatible with the current version", await refusal.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("type changed", await page.Locator("[data-testid=upload-diff]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=confirm-upload]").CountAsync());

        await page.Locator("input[type=file]").Last.SetInputFilesAsync(compatible);
        await page.Locator("[data-testid=confirm-upload]").ClickAsync();
        await page.Locator("[data-testid=schema-notice]").WaitForAsync();
        Assert.Contains("is now current", await page.Locator("[data-testid=schema-notice]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("current", await page.Locator("[data-testid=version-2]").InnerTextAsync(), StringComparison.Ordinal);
        await AdminServerFixture.ScreenshotAsync(page, "schema", fullPage: true);
        await fixture.Server.WaitForLineAsync(new System.Text.RegularExpressions.Regex(@"\[SySvAp\] Switching schema version ID to 2$"));

        // "Make current" on version 1 asks first, saying what happens; cancel changes nothing, confirm switches.
        await page.Locator("[data-testid=switch-1]").ClickAsync();
        var confirm = page.Locator("[data-testid=confirm-dialog]");
        var text = await confirm.InnerTextAsync();
        Assert.Contains("Version 1 becomes the current schema", text, StringComparison.Ordinal);
        Assert.Contains("connected on the current version 2 now", text, StringComparison.Ordinal);
        await page.Locator("[data-testid=confirm-cancel]").ClickAsync();
        await confirm.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Contains("current", await page.Locator("[data-testid=version-2]").InnerTextAsync(), StringComparison.Ordinal);

        foreach (var id in new[] { 1, 2 })
        {
            await page.Locator($"[data-testid=switch-{id}]").ClickAsync();
            await page.Locator("[data-testid=confirm-ok]").ClickAsync();
            await page.Locator($"[data-testid=version-{id}] [data-testid=current-marker]").WaitForAsync();
        }
    }

    [Fact]
    public async Task Refusing_clients_asks_with_the_connected_count_and_the_header_warns_while_no_version_accepts_clients()
    {
        await SetupAndLoginAsync();
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page);
        await page.GotoAsync(fixture.Url("schema"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        var state = page.Locator("[data-testid=server-state]");
        Assert.StartsWith("Running", await state.InnerTextAsync(), StringComparison.Ordinal);
        var ids = await page.Locator("[data-testid^=version-]").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.testid.substring(8))");

        await using var client = await RawSyncClient.ConnectAsync(fixture.Server.SyncPort);
        await client.LoginAndCatchUpAsync(Convert.FromHexString(fixture.Model.Hash)); // on version 1, the example model
        try
        {
            // Version 1 last: by then no other version accepts clients, and the dialog says so.
            foreach (var id in ids.OrderByDescending(id => id, StringComparer.Ordinal))
            {
                var accept = page.Locator($"input[data-testid=accept-{id}]");
                if (!await accept.IsCheckedAsync())
                {
                    continue;
                }

                await accept.ClickAsync();
                var confirm = page.Locator("[data-testid=confirm-dialog]");
                var text = await confirm.InnerTextAsync();
                Assert.Contains($"Clients on schema version {id} can no longer log in", text, StringComparison.Ordinal);
                if (id == "1")
                {
                    Assert.Contains("1 client is connected on it now", text, StringComparison.Ordinal);
                    Assert.Contains("every client will be refused", text, StringComparison.Ordinal);
                    await page.Locator("[data-testid=confirm-cancel]").ClickAsync();
                    await confirm.WaitForAsync(new() { State = WaitForSelectorState.Detached });
                    Assert.True(await accept.IsCheckedAsync(), "cancel leaves the switch on");
                    Assert.StartsWith("Running", await state.InnerTextAsync(), StringComparison.Ordinal);
                    await accept.ClickAsync();
                }

                await page.Locator("[data-testid=confirm-ok]").ClickAsync();
                await confirm.WaitForAsync(new() { State = WaitForSelectorState.Detached });
                Assert.False(await accept.IsCheckedAsync());
            }

            await page.GetByText("No version accepts clients", new() { Exact = false }).WaitForAsync();
            Assert.Contains("mud-chip-color-warning", await state.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        }
        finally
        {
            foreach (var id in ids) // on again (no question asked) for the other tests
            {
                var accept = page.Locator($"input[data-testid=accept-{id}]");
                if (!await accept.IsCheckedAsync())
                {
                    await accept.ClickAsync();
                    await page.WaitForFunctionAsync("id => document.querySelector(`input[data-testid=accept-${id}]`).checked", id);
                }
            }
        }

        await state.Filter(new() { HasTextString = "Running" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=confirm-dialog]").CountAsync());
    }

    [Fact]
    public async Task The_reconnect_dialog_is_styled_by_the_apps_scoped_CSS()
    {
        await SetupAndLoginAsync();
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page);

        // The state Blazor puts the dialog in when the circuit drops: only the first attempt's text is shown.
        await page.EvaluateAsync("""
            () => {
                const dialog = document.getElementById("components-reconnect-modal");
                dialog.classList.add("components-reconnect-show");
                dialog.showModal();
            }
            """);
        var dialog = page.Locator("#components-reconnect-modal");
        Assert.True(await dialog.GetByText("Rejoining the server...").IsVisibleAsync());
        Assert.False(await dialog.GetByText("Failed to rejoin.", new() { Exact = false }).IsVisibleAsync());
        Assert.False(await dialog.GetByText("The session has been paused by the server.").IsVisibleAsync());
        Assert.False(await dialog.Locator("#components-reconnect-button").IsVisibleAsync());
        var box = await dialog.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X > 100, $"the dialog is centred, not in the top-left corner (x = {box.X})");
        Assert.Equal(1, await page.Locator("link[rel=stylesheet][href*='sync-server.'][href$='.styles.css']").CountAsync());
    }

    [Fact]
    public async Task The_debug_switch_makes_the_server_log_debug_lines()
    {
        await SetupAndLoginAsync();
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page);
        await page.GotoAsync(fixture.Url("status"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        await AdminServerFixture.ScreenshotAsync(page, "status");
        var before = fixture.Server.Output.Count;

        await page.Locator("input[data-testid=debug-switch]").ClickAsync();
        await page.GetByText("debug", new() { Exact = true }).WaitForAsync();
        await using (var client = await RawSyncClient.ConnectAsync(fixture.Server.SyncPort))
        {
            await client.LoginAndCatchUpAsync(Convert.FromHexString(fixture.Model.Hash));

            // While it is connected, the clients page lists it (live, no reload).
            var clients = await fixture.NewPageAsync();
            await fixture.LoginAsync(clients);
            await clients.GotoAsync(fixture.Url("clients"));
            await AdminServerFixture.WaitInteractiveAsync(clients);
            await clients.GetByText($"#{client.ClientNumber}", new() { Exact = true }).WaitForAsync();
            await AdminServerFixture.ScreenshotAsync(clients, "clients");
        }

        await fixture.Server.WaitForLineAsync(new System.Text.RegularExpressions.Regex(@"\[DEBUG\]"));
        Assert.Contains(fixture.Server.Output.Skip(before), l => l.Contains("[DEBUG]", StringComparison.Ordinal));

        await page.Locator("input[data-testid=debug-switch]").ClickAsync(); // back to info for the other tests
        await page.GetByText("info", new() { Exact = true }).WaitForAsync();
    }

    [Fact]
    public async Task A_new_admin_can_log_in_and_is_deleted_again()
    {
        await SetupAndLoginAsync();
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page);
        await page.GotoAsync(fixture.Url("users"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("input[data-testid=new-user-name], [data-testid=new-user-name] input").First.FillAsync("bob");
        await page.Locator("input[data-testid=new-user-password], [data-testid=new-user-password] input").First.FillAsync("Bob-pass-12");
        await page.Locator("[data-testid=create-user]").ClickAsync();
        await page.Locator("[data-testid=delete-bob]").WaitForAsync();
        await AdminServerFixture.ScreenshotAsync(page, "users");

        var bob = await fixture.NewPageAsync();
        await fixture.LoginAsync(bob, "bob", "Bob-pass-12");
        Assert.Equal("Logged in as bob", await bob.Locator("[data-testid=current-user]").InnerTextAsync());

        await page.Locator("[data-testid=delete-bob]").ClickAsync();
        var confirm = page.Locator("[data-testid=confirm-dialog]");
        Assert.Contains("\"bob\" is deleted for good", await confirm.InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("[data-testid=confirm-cancel]").ClickAsync();
        await confirm.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(1, await page.Locator("[data-testid=delete-bob]").CountAsync()); // cancel deletes nobody

        await page.Locator("[data-testid=delete-bob]").ClickAsync();
        await page.Locator("[data-testid=confirm-ok]").ClickAsync();
        await page.GetByText("Deleted admin user \"bob\".").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=delete-bob]").CountAsync());
        Assert.True(await page.Locator("[data-testid=delete-admin]").IsDisabledAsync(), "you cannot delete yourself");
        await bob.WaitForURLAsync(LoginPage(), new() { Timeout = 10_000 }); // bob's open page is closed at once
    }

    [Fact]
    public async Task Logging_out_closes_the_users_open_pages_in_other_browsers_and_their_saved_cookies()
    {
        await SetupAndLoginAsync();
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page);
        await page.GotoAsync(fixture.Url("users"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("input[data-testid=new-user-name], [data-testid=new-user-name] input").First.FillAsync("carol");
        await page.Locator("input[data-testid=new-user-password], [data-testid=new-user-password] input").First.FillAsync("Carol-pass-12");
        await page.Locator("[data-testid=create-user]").ClickAsync();
        await page.Locator("[data-testid=delete-carol]").WaitForAsync();

        var open = await fixture.NewPageAsync();
        await fixture.LoginAsync(open, "carol", "Carol-pass-12");
        await open.GotoAsync(fixture.Url("data"));
        await AdminServerFixture.WaitInteractiveAsync(open);
        var saved = string.Join("; ", (await open.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        var other = await fixture.NewPageAsync();
        await fixture.LoginAsync(other, "carol", "Carol-pass-12");
        await AdminServerFixture.WaitInteractiveAsync(other);

        await other.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();

        // The open page is sent to the login page by its circuit; generous for a loaded CI machine.
        await open.WaitForURLAsync(LoginPage(), new() { Timeout = 30_000 });
        using var replay = new HttpRequestMessage(HttpMethod.Get, fixture.Url("data"));
        replay.Headers.Add("Cookie", saved);
        using var noJar = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        using var response = await noJar.SendAsync(replay);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private static System.Text.RegularExpressions.Regex LoginPage() => new("/Account/Login");

    /// <summary>The first-run setup through the logged URL, once per fixture, whichever test runs first.</summary>
    private async Task SetupAndLoginAsync()
    {
        await SetupGate.WaitAsync();
        try
        {
            if (_setupDone)
            {
                return;
            }

            var page = await fixture.NewPageAsync();

            // First run: the login page points to the setup URL in the server log.
            await page.GotoAsync(fixture.Url("Account/Login"));
            Assert.Contains("The server log has a one-time setup URL", await page.Locator("[data-testid=setup-hint]").InnerTextAsync(), StringComparison.Ordinal);

            await page.GotoAsync(fixture.SetupUrl);
            await page.GetByLabel("User name").FillAsync(AdminServerFixture.AdminUser);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AdminServerFixture.AdminPassword);
            await page.GetByLabel("Confirm password").FillAsync(AdminServerFixture.AdminPassword);
            await AdminServerFixture.ScreenshotAsync(page, "setup");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create admin" }).ClickAsync();
            await AdminServerFixture.WaitInteractiveAsync(page);
            await page.Context.CloseAsync();
            _setupDone = true;
        }
        finally
        {
            SetupGate.Release();
        }
    }

    private static string ObjectJsonText(Core.Model.ModelEntity entity, Dictionary<uint, object?> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ObjectJson.Write(writer, entity, values);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string AddTagColor(string json)
    {
        var model = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var tag = model["entities"]!.AsArray().First(e => (string)e!["name"]! == "Tag")!;
        tag["properties"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["id"] = "3:900000000000000003", ["name"] = "color", ["type"] = 5 });
        tag["lastPropertyId"] = "3:900000000000000003";
        return model.ToJsonString();
    }

    private static string ChangeTagNameType(string json)
    {
        var model = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var tag = model["entities"]!.AsArray().First(e => (string)e!["name"]! == "Tag")!;
        tag["properties"]!.AsArray().First(p => (string)p!["name"]! == "name")!["type"] = 6;
        return model.ToJsonString();
    }
}
