using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Web.Tests;

/// <summary>
/// The session limits (config file <c>sync</c>, environment <c>Sync__X</c>) as the real server process reads them: a bad
/// value exits 2 with one stderr line per problem before the data directory is touched; good values take effect.
/// </summary>
public sealed class SyncSettingsProcessTests
{
    private const string MessageBytesRange = "a whole number from 1024 to 1073741824";

    [Theory]
    [InlineData("Sync__MaxMessageBytes", "big", MessageBytesRange + ", not 'big'")]
    [InlineData("Sync__MaxMessageBytes", "5", MessageBytesRange + ", not '5'")]
    [InlineData("Sync__MaxMessageBytes", "1073741825", MessageBytesRange + ", not '1073741825'")]
    [InlineData("Sync__HeartbeatTimeout", "soon", "a time span hh:mm:ss from 00:00:01 to 01:00:00, not 'soon'")]
    [InlineData("Sync__CloseTimeout", "00:00:00.050", "a time span hh:mm:ss from 00:00:00.100 to 00:01:00, not '00:00:00.050'")]
    [InlineData("Sync__MaxMesageBytes", "2048", "unknown Sync setting 'MaxMesageBytes'; known: MaxMessageBytes, MaxMessageBytesBeforeLogin")]
    public async Task A_bad_environment_variable_exits_2_with_one_line_naming_it_and_writes_nothing(string name, string value, string expected)
    {
        using var dir = new TempDirectory();

        await using var server = ServerProcess.Start(
            dir.Path, new Dictionary<string, string> { [name] = value }, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");

        Assert.Equal(2, await server.WaitForExitAsync());
        var line = Assert.Single(ErrorLines(server));
        Assert.StartsWith($"sync-server: Environment variable {name}", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(server.Output);
        Assert.False(Directory.Exists(dir.Combine("objectbox")), "the data directory was created");
    }

    [Theory]
    [InlineData("""{ "maxMessageBytes": "32M" }""", "key 'sync.maxMessageBytes' must be " + MessageBytesRange + ", not the string \"32M\"")]
    [InlineData("""{ "maxMessageBytes": 5 }""", "key 'sync.maxMessageBytes' must be " + MessageBytesRange + ", not 5")]
    [InlineData("""{ "maxOpsPerTx": 2.5 }""", "key 'sync.maxOpsPerTx' must be a whole number from 1 to 10000000, not 2.5")]
    [InlineData("""{ "heartbeatTimeout": 90 }""", "key 'sync.heartbeatTimeout' must be a time span hh:mm:ss from 00:00:01 to 01:00:00, not 90")]
    [InlineData("""{ "loginBlockTime": "2.00:00:00" }""", "key 'sync.loginBlockTime' must be a time span hh:mm:ss from 00:00:01 to 1.00:00:00")]
    [InlineData("""{ "MaxMessageBytes": 2048 }""", "unknown key 'sync.MaxMessageBytes'; known keys: maxMessageBytes, maxMessageBytesBeforeLogin")]
    [InlineData("5", "key 'sync' must be an object")]
    public async Task A_bad_value_in_the_config_files_sync_section_exits_2_with_one_line_naming_it_and_writes_nothing(string sync, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("sync-server-config.json"), $$"""{ "unsecuredNoAuthentication": true, "sync": {{sync}} }""");

        await using var server = ServerProcess.Start(dir.Path, "--model", TestPaths.ExampleModel);

        Assert.Equal(2, await server.WaitForExitAsync());
        var line = Assert.Single(ErrorLines(server));
        Assert.StartsWith("sync-server: Config file sync-server-config.json: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(server.Output);
        Assert.False(Directory.Exists(dir.Combine("objectbox")), "the data directory was created");
    }

    [Fact]
    public async Task Every_bad_value_gets_its_own_line_and_an_existing_data_directory_is_left_untouched()
    {
        using var dir = new TempDirectory();
        await using (var first = await ServerProcess.StartAndWaitAsync(dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication"))
        {
            Assert.Equal(0, await first.StopAsync());
        }

        var before = DirectorySnapshot.Of(dir.Combine("objectbox"));
        File.WriteAllText(dir.Combine("sync-server-config.json"), """{ "sync": { "batchMaxTxs": 0, "closeTimeout": "00:00:01" } }""");

        await using var server = ServerProcess.Start(
            dir.Path, new Dictionary<string, string> { ["Sync__SendQueueCapacity"] = "-1" }, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");

        Assert.Equal(2, await server.WaitForExitAsync());
        var lines = ErrorLines(server);
        Assert.Equal(2, lines.Count);
        Assert.Contains(lines, l => l.Contains("key 'sync.batchMaxTxs' must be a whole number from 1 to 100000, not 0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Environment variable Sync__SendQueueCapacity must be a whole number from 1 to 100000, not '-1'", StringComparison.Ordinal));
        Assert.Equal(before, DirectorySnapshot.Of(dir.Combine("objectbox")));
    }

    [Fact]
    public async Task The_config_files_sync_section_takes_effect_and_an_environment_variable_overrides_it()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("sync-server-config.json"), """
            { "unsecuredNoAuthentication": true, "sync": { "_comment": "small limit", "maxMessageBytes": 2048 } }
            """);

        Assert.Contains("limit of 2048 bytes", await OversizeErrorAsync(dir, new Dictionary<string, string>()), StringComparison.Ordinal);
        Assert.Contains("limit of 2500 bytes", await OversizeErrorAsync(dir, new Dictionary<string, string> { ["Sync__MaxMessageBytes"] = "2500" }), StringComparison.Ordinal);
    }

    /// <summary>Starts the server, sends a 3,000-byte message and returns the text of the ERROR MessageTooLarge it gets.</summary>
    private static async Task<string> OversizeErrorAsync(TempDirectory dir, Dictionary<string, string> environment)
    {
        await using var server = await ServerProcess.StartAndWaitAsync(dir.Path, environment, "--model", TestPaths.ExampleModel);
        await using var client = await RawSyncClient.ConnectAsync(server.SyncPort);

        await client.SendRawAsync(new byte[3000]);

        var error = await client.ExpectAsync<ErrorMessage>();
        Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
        Assert.Equal(0, await server.StopAsync());
        return error.Text;
    }

    private static List<string> ErrorLines(ServerProcess server) =>
        [.. server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}
