using SyncServer.Tests.TestSupport;

namespace SyncServer.Web.Tests;

/// <summary>
/// A bad <c>syncFilters</c> stops the real server before the data directory is touched: exit 2 and a message naming the
/// entity and the character position (docs/filters.md, "Errors"), from the config file and from the environment alike;
/// a later model that would break a filter does not start either and leaves the stored versions as they were.
/// </summary>
public sealed class SyncFilterStartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("owner == \"alice\"", "sync filter of entity Task, at character 1: entity Task has no property 'owner'")]
    [InlineData("priority == \"high\"", "sync filter of entity Task, at character 13: property 'priority' is of type Int and cannot be compared with a string (\"high\")")]
    [InlineData("done == true AND (priority > 2", "sync filter of entity Task, at character 31: ")]
    [InlineData("title ^= 3", "sync filter of entity Task, at character 10: property 'title' is of type String and cannot be compared with an integer (3)")]
    public async Task A_bad_filter_in_the_config_file_exits_2_naming_entity_and_position_and_writes_nothing(string expression, string expected)
    {
        var config = _dir.Combine("config.json");
        await File.WriteAllTextAsync(config, $$"""{ "syncFilters": { "Task": {{System.Text.Json.JsonSerializer.Serialize(expression)}} } }""");

        await using var server = ServerProcess.Start(
            _dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "-c", config, "-d", _dir.Combine("data"),
            "--bind", $"ws://127.0.0.1:{FreePort.Next()}", "--admin-off");

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Contains($"Config key syncFilters: {expected}", server.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.AllOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("data")), "the data directory was created");
    }

    [Theory]
    [InlineData("""{ "syncFilters": ["Task"] }""", "key 'syncFilters' must be an object of entity name to filter expression")]
    [InlineData("""{ "syncFilters": { "Task": 5 } }""", "key 'syncFilters.Task' must be a filter expression (a non-empty string)")]
    [InlineData("""{ "syncFilters": { "Nope": "done == true" } }""", "sync filter of entity Nope, at character 1: the model has no entity Nope")]
    public async Task A_malformed_syncFilters_key_exits_2_naming_the_key(string json, string expected)
    {
        var config = _dir.Combine("config.json");
        await File.WriteAllTextAsync(config, json);

        await using var server = ServerProcess.Start(
            _dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "-c", config, "-d", _dir.Combine("data"),
            "--bind", $"ws://127.0.0.1:{FreePort.Next()}", "--admin-off");

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Contains(expected, server.AllOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("data")), "the data directory was created");
    }

    [Fact]
    public async Task A_bad_filter_from_the_environment_exits_2_like_one_from_the_file()
    {
        await using var server = ServerProcess.Start(
            _dir.Path,
            new Dictionary<string, string> { ["SyncFilters__Task"] = "notes == $client.who AND" },
            "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "-d", _dir.Combine("data"),
            "--bind", $"ws://127.0.0.1:{FreePort.Next()}", "--admin-off");

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Contains("Config key syncFilters: sync filter of entity Task, at character 25: ", server.AllOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("data")), "the data directory was created");
    }

    [Fact]
    public async Task A_new_model_that_drops_a_filtered_property_does_not_start_and_keeps_the_stored_versions()
    {
        var config = _dir.Combine("config.json");
        await File.WriteAllTextAsync(config, """{ "syncFilters": { "Task": "priority > 2" } }""");
        await using (var first = await ServerProcess.StartAndWaitAsync(
            _dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "-c", config, "-d", _dir.Combine("data"), "--admin-off"))
        {
            Assert.Equal(0, await first.StopAsync());
        }

        var before = DirectorySnapshot.Of(_dir.Combine("data"));
        var model = ModelJson.Example();
        model.RemoveProperty("Task", "priority");
        var changed = _dir.Combine("changed.json");
        await File.WriteAllTextAsync(changed, model.ToJsonString());

        await using var second = ServerProcess.Start(
            _dir.Path, "--model", changed, "--unsecured-no-authentication", "-c", config, "-d", _dir.Combine("data"),
            "--bind", $"ws://127.0.0.1:{FreePort.Next()}", "--admin-off");

        Assert.Equal(2, await second.WaitForExitAsync());
        Assert.Contains("Config key syncFilters: sync filter of entity Task, at character 1: entity Task has no property 'priority'", second.AllOutput, StringComparison.Ordinal);
        Assert.Equal(before, DirectorySnapshot.Of(_dir.Combine("data")));
    }
}
