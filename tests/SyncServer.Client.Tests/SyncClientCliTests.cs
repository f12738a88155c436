using System.Text.Json;
using System.Text.RegularExpressions;
using SyncServer.Client.Tests.Infrastructure;

namespace SyncServer.Client.Tests;

/// <summary>The built sync-client (<c>dotnet exec sync-client.dll</c>) against the real server, each command a process of
/// its own with its own data directory.</summary>
#pragma warning disable CA1001 // xunit disposes the fields through IAsyncLifetime.DisposeAsync
public sealed partial class SyncClientCliTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly EndToEndHarness _e2e = new(TestModels.Json);

    public async Task InitializeAsync() => await _e2e.Server.StartAsync();

    public async Task DisposeAsync() => await _e2e.DisposeAsync();

    [Fact]
    public async Task An_object_put_in_one_data_directory_is_listed_and_got_as_JSON_in_another()
    {
        var put = await RunAsync("cli-a", "put", "Task", """{"title":"Buy milk","priority":3,"done":false}""");
        Assert.Equal(0, put.ExitCode);
        using (var written = JsonDocument.Parse(put.Output))
        {
            Assert.Equal(1UL, written.RootElement.GetProperty("id").GetUInt64());
            Assert.Equal("Buy milk", written.RootElement.GetProperty("title").GetString());
        }

        Assert.Equal("", put.Errors); // the server confirmed within the timeout: no "queued offline" note

        var list = await RunAsync("cli-b", "list", "Task");
        Assert.Equal(0, list.ExitCode);
        using (var listed = JsonDocument.Parse(list.Output))
        {
            var task = Assert.Single(listed.RootElement.EnumerateArray());
            Assert.Equal("Buy milk", task.GetProperty("title").GetString());
            Assert.Equal(3, task.GetProperty("priority").GetInt32());
            Assert.False(task.GetProperty("done").GetBoolean());
        }

        var get = await RunAsync("cli-b", "get", "Task", "1");
        Assert.Equal(0, get.ExitCode);
        using (var got = JsonDocument.Parse(get.Output))
        {
            Assert.Equal("Buy milk", got.RootElement.GetProperty("title").GetString());
        }

        var missing = await RunAsync("cli-b", "get", "Task", "2");
        Assert.Equal((1, "Task 2 not found."), (missing.ExitCode, missing.Errors));
    }

    [Fact]
    public async Task Watch_prints_a_JSON_line_when_another_client_puts()
    {
        await using var watch = Start("cli-watch", "watch");
        await watch.WaitForLineAsync(LoggedInRegex(), inStandardError: true);

        var put = await RunAsync("cli-a", "put", "Task", """{"title":"Walk the dog"}""");
        Assert.Equal(0, put.ExitCode);

        var line = await watch.WaitForLineAsync(WalkTheDogRegex());
        using var change = JsonDocument.Parse(line);
        Assert.Equal("Task", change.RootElement.GetProperty("entity").GetString());
        var task = Assert.Single(change.RootElement.GetProperty("put").EnumerateArray());
        Assert.Equal("Walk the dog", task.GetProperty("title").GetString());
        Assert.Empty(change.RootElement.GetProperty("removed").EnumerateArray());
        Assert.Equal(0, await watch.StopAsync());
    }

    [Theory]
    [InlineData("put", "Nope", "{}", "The model has no entity \"Nope\".")]
    [InlineData("put", "Task", """{"colour":"red"}""", "Entity \"Task\" has no property named \"colour\".")]
    [InlineData("put", "Task", """{"title":""", "The JSON for Task is malformed:")]
    [InlineData("put", "Task", """["Buy milk"]""", "An object of entity \"Task\" must be a JSON object, got Array.")]
    [InlineData("put", "Task", """{"priority":"high"}""", "\"priority\"")]
    [InlineData("list", "Nope", null, "The model has no entity \"Nope\".")]
    public async Task Bad_input_exits_with_1_and_a_message_naming_the_problem(string command, string entity, string? json, string expected)
    {
        var result = await RunAsync("cli-a", json is null ? [command, entity] : [command, entity, json]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Errors, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    private ChildProcess Start(string directory, params string[] command) => ChildProcess.Start(
        TestPaths.ClientCliDll,
        _e2e.Directory.Path,
        ["--server", _e2e.Server.Url.ToString(), "--model", _e2e.ModelPath, "--dir", _e2e.Directory.Combine(directory), .. command]);

    private async Task<CliResult> RunAsync(string directory, params string[] command)
    {
        await using var process = Start(directory, command);
        var exitCode = await process.WaitForExitAsync();
        return new CliResult(exitCode, process.StandardOutput, process.StandardError);
    }

    private sealed record CliResult(int ExitCode, string Output, string Errors);

    [GeneratedRegex(@"^\[LoggedIn\]$")]
    private static partial Regex LoggedInRegex();

    [GeneratedRegex("Walk the dog")]
    private static partial Regex WalkTheDogRegex();
}
