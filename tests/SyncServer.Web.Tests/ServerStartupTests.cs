using System.Text.RegularExpressions;

namespace SyncServer.Web.Tests;

/// <summary>The real server process: start-up, log lines, refusals, shutdown.</summary>
public sealed partial class ServerStartupTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static TheoryData<string> RealModels() =>
        [.. Directory.GetFiles(TestPaths.ModelsDirectory, "*.json").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(RealModels))]
    public async Task Every_real_model_file_starts_a_server_that_answers_on_both_ports_and_stops_cleanly(string modelFile)
    {
        using var dir = new TempDirectory();
        await using var server = await ServerProcess.StartAndWaitAsync(
            dir.Path, "--model", Path.Combine(TestPaths.ModelsDirectory, modelFile), "--unsecured-no-authentication");

        var syncAnswer = await Http.GetStringAsync(server.SyncHttpUrl);
        var adminAnswer = await Http.GetStringAsync(server.AdminUrl);

        Assert.Contains("sync endpoint", syncAnswer, StringComparison.Ordinal);
        Assert.Contains("<h1>Log in</h1>", adminAnswer, StringComparison.Ordinal); // anonymous: redirected to the login page
        Assert.True(File.Exists(dir.Combine("objectbox", "sync-server.db")), "the database lives in ./objectbox by default");
        Assert.Equal(0, await server.StopAsync());
        Assert.Contains(server.Output, line => line.EndsWith("[INFO ] [SySvAp] Sync server stopped", StringComparison.Ordinal));
        var wal = new FileInfo(dir.Combine("objectbox", "sync-server.db-wal"));
        Assert.True(!wal.Exists || wal.Length == 0, "a clean shutdown checkpoints the write-ahead log into the database");
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("not-a-directory"), "a file where the data directory should go");

        await using var server = ServerProcess.Start(
            dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "-d", dir.Combine("not-a-directory", "data"));

        Assert.Equal(1, await server.WaitForExitAsync());
        Assert.Contains(server.Output, line => line.Contains("[ERROR] [SySvAp] Runtime error: ", StringComparison.Ordinal)
            && line.Contains(dir.Combine("not-a-directory", "data"), StringComparison.Ordinal));
        Assert.False(FreePort.IsListening(server.SyncPort));
    }

    [Fact]
    public async Task A_port_in_use_is_a_clear_error_naming_the_address()
    {
        using var dir = new TempDirectory();
        using var blocker = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((System.Net.IPEndPoint)blocker.LocalEndpoint).Port;

        await using var server = ServerProcess.Start(
            dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--bind", $"ws://127.0.0.1:{port}");

        Assert.Equal(1, await server.WaitForExitAsync());
        Assert.Contains(server.Output, line => line.Contains("[ERROR] [SySvAp] Runtime error: ", StringComparison.Ordinal)
            && line.Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task First_start_logs_the_ObjectBox_startup_sequence_in_order()
    {
        using var dir = new TempDirectory();
        await using var server = await ServerProcess.StartAndWaitAsync(
            dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");
        var modelBytes = new FileInfo(TestPaths.ExampleModel).Length;

        string[] expected =
        [
            "[INFO ] [SySvAp] Default configuration file sync-server-config.json not found",
            "[WARN ] [SySvAp] INSECURE no-authentication mode enabled - every client allowed without any validation",
            "[INFO ] [SySvAp] Database has no schema, loading from objectbox-model.json",
            $"[INFO ] [SySvAp] Model file objectbox-model.json loaded, it has {modelBytes} bytes",
            "[INFO ] [SchVer] Inserted new schema version ID 1",
            "[INFO ] [SySvAp] Switching schema version ID to 1",
            "[INFO ] [SchVer] Update schema version ID 1: acceptClients := true",
            "[INFO ] [SySvAp] Starting the server with a schema version ID 1",
            $"[INFO ] [HttpSv] No admin user yet. Create the first one (once) at http://127.0.0.1:{server.AdminPort}/setup?token=<token>",
            $"[INFO ] [SvSync] Listening on 127.0.0.1, port {server.SyncPort} without SSL",
            $"[INFO ] [HttpSv] Admin UI listening on http://127.0.0.1:{server.AdminPort}",
        ];
        var messages = server.Output.Select(line => SetupToken().Replace(line[18..], "token=<token>")).ToList();
        Assert.Equal(expected, messages.Take(expected.Length));
        Assert.Matches(ServerProcess.StartedLine(), server.Output[expected.Length]);
    }

    [Fact]
    public async Task Every_log_line_has_thread_UTC_time_level_and_tag_columns()
    {
        using var dir = new TempDirectory();
        var before = DateTime.UtcNow;
        await using var server = await ServerProcess.StartAndWaitAsync(
            dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--log-level", "debug");
        await server.StopAsync();

        Assert.NotEmpty(server.Output);
        foreach (var line in server.Output)
        {
            var match = LogLine().Match(line);
            Assert.True(match.Success, $"not in the ObjectBox log format: '{line}'");
            var time = TimeOnly.ParseExact(match.Groups["time"].Value, "HH:mm:ss.ffff", System.Globalization.CultureInfo.InvariantCulture);
            var drift = (time.ToTimeSpan() - before.TimeOfDay).Duration();
            Assert.True(drift < TimeSpan.FromMinutes(2) || drift > TimeSpan.FromHours(23.9), $"time {time} is not UTC now ({before:HH:mm:ss})");
        }

        Assert.Contains(server.Output, line => line.Contains("[DEBUG]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_authenticator_the_server_refuses_to_start_and_opens_no_port()
    {
        using var dir = new TempDirectory();
        await using var server = ServerProcess.Start(dir.Path, "--model", TestPaths.ExampleModel);

        Assert.Equal(1, await server.WaitForExitAsync());
        Assert.Contains(server.Output, line => line.EndsWith("[ERROR] [SySvAp] Runtime error: Authenticator must be set before starting", StringComparison.Ordinal));
        Assert.Contains("--unsecured-no-authentication", server.StandardError, StringComparison.Ordinal);
        Assert.False(FreePort.IsListening(server.SyncPort));
        Assert.False(FreePort.IsListening(server.AdminPort));
        Assert.False(Directory.Exists(dir.Combine("objectbox")), "nothing is created when the server refuses to start");
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_directory_is_refused_and_the_first_keeps_serving()
    {
        using var dir = new TempDirectory();
        await using var first = await ServerProcess.StartAndWaitAsync(dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");
        await using var second = ServerProcess.Start(dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");

        Assert.Equal(1, await second.WaitForExitAsync());
        Assert.Contains(second.Output, line => line.Contains("is in use by another sync-server process", StringComparison.Ordinal)
            && line.Contains("[ERROR]", StringComparison.Ordinal));
        Assert.False(FreePort.IsListening(second.SyncPort));
        Assert.Contains("sync endpoint", await Http.GetStringAsync(first.SyncHttpUrl), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sync_port_never_serves_the_admin_pages_even_with_an_admin_Host_header()
    {
        using var dir = new TempDirectory();
        await using var server = await ServerProcess.StartAndWaitAsync(dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");
        using var request = new HttpRequestMessage(HttpMethod.Get, server.SyncHttpUrl);
        request.Headers.Host = $"127.0.0.1:{server.AdminPort}";

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("sync endpoint", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Log in", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_off_leaves_the_admin_port_closed()
    {
        using var dir = new TempDirectory();
        await using var server = await ServerProcess.StartAndWaitAsync(
            dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--admin-off");

        Assert.False(FreePort.IsListening(server.AdminPort));
        Assert.Contains(server.Output, line => line.EndsWith("[INFO ] [HttpSv] Admin UI is off (--admin-off)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_deprecated_debug_option_switches_to_debug_logging_and_says_it_is_deprecated()
    {
        using var dir = new TempDirectory();
        await using var server = await ServerProcess.StartAndWaitAsync(
            dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--debug");

        Assert.Contains(server.Output, line => line.EndsWith("[WARN ] [SySvAp] --debug is deprecated; use --log-level debug", StringComparison.Ordinal));
        Assert.Contains(server.Output, line => line.Contains("[DEBUG]", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^(?<thread>\d{3,})-(?<time>\d{2}:\d{2}:\d{2}\.\d{4}) \[(TRACE|DEBUG|INFO |WARN |ERROR)\] \[[A-Za-z]{1,6} *\] \S.*$")]
    private static partial Regex LogLine();

    [GeneratedRegex("token=[0-9a-f]{64}$")]
    private static partial Regex SetupToken();
}
