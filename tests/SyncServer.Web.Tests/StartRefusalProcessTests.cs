using SyncServer.Tests.TestSupport;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SyncServer.Core.Model;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests;

/// <summary>
/// Starts the real server refuses (bad --cert, ports, out-of-range or malformed settings): exit code, one line naming the
/// option or key and the file or address, no stack trace, and the data directory as it was.
/// </summary>
public sealed class StartRefusalProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("missing path", "does not exist")]
    [InlineData("directory without key.pem", "key.pem does not exist")]
    [InlineData("key of another certificate", "does not fit the certificate")]
    [InlineData("encrypted key", "is encrypted")]
    [InlineData("garbage key", "holds no PEM private key")]
    public async Task A_bad_cert_exits_2_with_one_line_naming_the_file_and_writes_nothing(string problem, string expected)
    {
        var cert = _dir.Combine("tls");
        switch (problem)
        {
            case "missing path":
                cert = _dir.Combine("no-such-dir");
                break;
            case "directory without key.pem":
                TestCertificate.CreatePemFiles(cert).Dispose();
                File.Delete(Path.Combine(cert, "key.pem"));
                break;
            case "key of another certificate":
                TestCertificate.CreatePemFiles(cert).Dispose();
                TestCertificate.CreatePemFiles(_dir.Combine("other")).Dispose();
                File.Copy(_dir.Combine("other", "key.pem"), Path.Combine(cert, "key.pem"), overwrite: true);
                break;
            case "encrypted key":
                TestCertificate.CreatePemFiles(cert).Dispose();
                using (var key = RSA.Create(2048))
                {
                    File.WriteAllText(Path.Combine(cert, "key.pem"), key.ExportEncryptedPkcs8PrivateKeyPem(
                        "secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));
                }

                break;
            case "garbage key":
                TestCertificate.CreatePemFiles(cert).Dispose();
                File.WriteAllText(Path.Combine(cert, "key.pem"), "not a key at all\n");
                break;
        }

        await using var server = ServerProcess.Start(
            _dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--cert", cert,
            "--bind", $"wss://127.0.0.1:{FreePort.Next()}");

        Assert.Equal(2, await server.WaitForExitAsync());
        var line = Assert.Single(ErrorLines(server));
        Assert.StartsWith("sync-server: --cert (config key certificatePath): ", line, StringComparison.Ordinal);
        Assert.Contains(cert, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(server.Output);
        Assert.False(Directory.Exists(_dir.Combine("objectbox")), "the data directory was created");
    }

    [Fact]
    public async Task A_compatible_new_model_with_the_port_in_use_exits_1_and_leaves_the_stored_schema_versions_untouched()
    {
        await StartAndStopAsync("--model", TestPaths.ExampleModel);
        var before = DirectorySnapshot.Of(_dir.Combine("objectbox"));
        var changed = _dir.Combine("changed.json");
        var model = ModelJson.Example();
        model.AddProperty("Task", "estimateMinutes", PropertyType.Int);
        File.WriteAllText(changed, model.ToJsonString());
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        await using (var refused = ServerProcess.Start(
            _dir.Path, "--model", changed, "--unsecured-no-authentication", "--bind", $"ws://127.0.0.1:{port}"))
        {
            Assert.Equal(1, await refused.WaitForExitAsync());
            var error = Assert.Single(refused.Output, l => l.Contains("[ERROR]", StringComparison.Ordinal));
            Assert.EndsWith(
                $"[ERROR] [SySvAp] Runtime error: --bind (config key bind): cannot listen for the sync port on ws://127.0.0.1:{port}: "
                + $"port {port} on 127.0.0.1 is already in use by another program; nothing was written", error, StringComparison.Ordinal);
            AssertNoStackTrace(refused);
            Assert.DoesNotContain(refused.Output, l => l.Contains("Inserted new schema version", StringComparison.Ordinal));
        }

        Assert.Equal(before, DirectorySnapshot.Of(_dir.Combine("objectbox")));
        var after = await StartAndStopAsync();
        Assert.Contains(after, l => l.EndsWith("Starting the server with a schema version ID 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_admin_port_in_use_names_admin_bind_and_the_address()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        await using var server = ServerProcess.Start(
            _dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--admin-bind", $"http://127.0.0.1:{port}");

        Assert.Equal(1, await server.WaitForExitAsync());
        var error = Assert.Single(server.Output, l => l.Contains("[ERROR]", StringComparison.Ordinal));
        Assert.Contains($"--admin-bind (config key adminBind): cannot listen for the admin UI port on http://127.0.0.1:{port}: port {port} on 127.0.0.1 is already in use", error, StringComparison.Ordinal);
        AssertNoStackTrace(server);
        Assert.False(Directory.Exists(_dir.Combine("objectbox")), "the data directory was created");
    }

    [Fact]
    public async Task An_address_not_on_this_machine_exits_2_naming_bind_and_the_address()
    {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
        await using var server = ServerProcess.Start(
            _dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--bind", "ws://192.0.2.1:9999");

        Assert.Equal(2, await server.WaitForExitAsync());
        var error = Assert.Single(server.Output, l => l.Contains("[ERROR]", StringComparison.Ordinal));
        Assert.Contains("--bind (config key bind): cannot listen for the sync port on ws://192.0.2.1:9999: 192.0.2.1 is not an address of this machine", error, StringComparison.Ordinal);
        AssertNoStackTrace(server);
        Assert.False(Directory.Exists(_dir.Combine("objectbox")), "the data directory was created");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_history_size_above_the_bound_exits_2_naming_the_key_and_the_range(bool onTheCommandLine)
    {
        const string tooBig = "9007199254740993"; // 2^53 + 1: times 1024 overflows a long
        string[] extra = onTheCommandLine ? ["--history-size-max-kb", tooBig] : [];
        if (!onTheCommandLine)
        {
            File.WriteAllText(_dir.Combine("sync-server-config.json"), $$"""{ "historySizeMaxKb": {{tooBig}} }""");
        }

        await using var server = ServerProcess.Start(_dir.Path, ["--model", TestPaths.ExampleModel, "--unsecured-no-authentication", .. extra]);

        Assert.Equal(2, await server.WaitForExitAsync());
        var line = Assert.Single(ErrorLines(server));
        Assert.Equal(
            "sync-server: --history-size-max-kb (config key historySizeMaxKb): the history size must be a whole number of KB "
            + $"from 1 to 1099511627776 (1 PB), not {tooBig}", line);
        Assert.False(Directory.Exists(_dir.Combine("objectbox")), "the data directory was created");
    }

    [Fact]
    public async Task A_config_file_with_a_UTF8_byte_order_mark_is_read()
    {
        File.WriteAllText(
            _dir.Combine("sync-server-config.json"),
            $$"""{ "modelFile": "{{TestPaths.ExampleModel}}", "unsecuredNoAuthentication": true, "dbDirectory": "store" }""",
            new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(_dir.Combine("sync-server-config.json"))[0]);

        await StartAndStopAsync();

        Assert.True(File.Exists(_dir.Combine("store", "sync-server.db")));
    }

    [Theory]
    [InlineData("""{ "dbDirectory": "a", "dbDirectory": "b" }""", "Config file sync-server-config.json: key 'dbDirectory' is given twice; keep one")]
    [InlineData("""{ "sync": { "maxMessageBytes": 2048, "maxMessageBytes": 4096 } }""", "Config file sync-server-config.json: key 'sync.maxMessageBytes' is given twice in 'sync'; keep one")]
    public async Task A_key_given_twice_in_the_config_file_exits_2_naming_it_and_where(string json, string expected)
    {
        File.WriteAllText(_dir.Combine("sync-server-config.json"), json);

        await using var server = ServerProcess.Start(_dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Equal($"sync-server: {expected}", Assert.Single(ErrorLines(server)));
    }

    [Theory]
    [InlineData("--conf", "--conf: '{0}' is a directory")]
    [InlineData("--model", "--model (config key modelFile): '{0}' is a directory")]
    public async Task A_directory_given_for_a_file_exits_2_saying_it_is_a_directory(string option, string expected)
    {
        var directory = _dir.Combine("a-directory");
        Directory.CreateDirectory(directory);
        string[] model = option == "--model" ? [] : ["--model", TestPaths.ExampleModel];

        await using var server = ServerProcess.Start(_dir.Path, [.. model, option, directory, "--unsecured-no-authentication"]);

        Assert.Equal(2, await server.WaitForExitAsync());
        var line = Assert.Single(ErrorLines(server));
        Assert.StartsWith("sync-server: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, directory), line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("objectbox")), "the data directory was created");
    }

    [Fact]
    public async Task A_db_max_size_below_64_KB_exits_2_with_the_range_and_writes_nothing()
    {
        await using var server = ServerProcess.Start(
            _dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--db-max-size", "10K");

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Equal(
            "sync-server: --db-max-size (config key dbMaxSize): 10K is too small; the database size limit is at least 64 KB (or 'unlimited')",
            Assert.Single(ErrorLines(server)));
        Assert.False(Directory.Exists(_dir.Combine("objectbox")), "the data directory was created");
    }

    [Fact]
    public async Task A_plain_http_JWT_key_URL_and_a_cert_no_bind_uses_each_log_one_warning()
    {
        TestCertificate.CreatePemFiles(_dir.Combine("tls")).Dispose();

        var output = await StartAndStopAsync(
            "--model", TestPaths.ExampleModel, "--cert", _dir.Combine("tls"), "--jwt-public-key-url", "http://127.0.0.1:1/keys.json",
            "--jwt-claim-aud", "app", "--jwt-claim-iss", "issuer");

        var warnings = output.Where(l => l.Contains("[WARN ]", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings, l => l.Contains("auth.jwt.publicKeyUrl (--jwt-public-key-url): http://127.0.0.1:1/keys.json is plain http://", StringComparison.Ordinal));
        Assert.Single(warnings, l => l.Contains("--cert (config key certificatePath) is given, but ws://", StringComparison.Ordinal)
            && l.Contains("so the certificate is not used", StringComparison.Ordinal));
    }

    internal static List<string> ErrorLines(ServerProcess server) =>
        [.. server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    internal static void AssertNoStackTrace(ServerProcess server) =>
        Assert.DoesNotContain(server.Output.Concat(server.ErrorLines), l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));

    private async Task<IReadOnlyList<string>> StartAndStopAsync(params string[] arguments)
    {
        await using var server = await ServerProcess.StartAndWaitAsync(_dir.Path, [.. arguments, "--unsecured-no-authentication"]);
        Assert.Equal(0, await server.StopAsync());
        return server.Output;
    }
}
