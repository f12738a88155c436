namespace SyncServer.Web.Tests;

/// <summary>The command line as a user types it: help, version, errors, the config file in the working directory.</summary>
public sealed class CommandLineProcessTests
{
    [Fact]
    public async Task Help_lists_every_option_with_its_default()
    {
        using var dir = new TempDirectory();
        await using var server = ServerProcess.StartPlain(dir.Path, "--help");

        Assert.Equal(0, await server.WaitForExitAsync());
        var help = string.Join('\n', server.Output);
        string[] options =
        [
            "-m, --model", "-d, --db-directory", "-b, --bind", "--admin-bind", "--admin-off", "-c, --conf",
            "--unsecured-no-authentication", "--log-level", "--debug", "--cert", "--db-max-size", "-h, --help", "-v, --version",
        ];
        foreach (var option in options)
        {
            Assert.Contains(option, help, StringComparison.Ordinal);
        }

        foreach (var @default in new[] { "[default: objectbox]", "[default: ws://0.0.0.0:9999]", "[default: http://127.0.0.1:9980]", "[default: sync-server-config.json]", "[default: info]", "[default: unlimited]" })
        {
            Assert.Contains(@default, help, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("-v")]
    public async Task Version_prints_the_product_version(string option)
    {
        using var dir = new TempDirectory();
        await using var server = ServerProcess.StartPlain(dir.Path, option);

        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.Matches(@"^\d+\.\d+\.\d+", server.Output[0]);
    }

    [Fact]
    public async Task An_unknown_option_exits_with_2_and_names_it()
    {
        using var dir = new TempDirectory();
        await using var server = ServerProcess.StartPlain(dir.Path, "--modle", "x.json");

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Contains("--modle", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_config_file_in_the_working_directory_is_used_and_an_unknown_key_stops_the_start()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("sync-server-config.json"), $$"""
            { "modelFile": "{{TestPaths.ExampleModel}}", "unsecuredNoAuthentication": true, "dbDirectory": "store" }
            """);
        await using (var server = await ServerProcess.StartAndWaitAsync(dir.Path))
        {
            Assert.Contains(server.Output, line => line.EndsWith($"[INFO ] [SySvAp] Using configuration file {dir.Combine("sync-server-config.json")}", StringComparison.Ordinal));
            Assert.Equal(0, await server.StopAsync());
        }

        Assert.True(File.Exists(dir.Combine("store", "sync-server.db")));
        File.WriteAllText(dir.Combine("sync-server-config.json"), """{ "unsecuredNoAuthentication": true, "dbDirectroy": "x" }""");
        await using var refused = ServerProcess.Start(dir.Path);
        Assert.Equal(2, await refused.WaitForExitAsync());
        Assert.Contains("unknown key 'dbDirectroy'", refused.StandardError, StringComparison.Ordinal);
    }
}
