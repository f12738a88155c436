using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using SyncServer.Client.Tests.Infrastructure;
using SyncServer.Engine.Tests.Auth;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Client.Tests;

/// <summary>The built sync-client (<c>dotnet exec sync-client.dll</c>) against the real server, each command a process of
/// its own with its own data directory: without credentials over ws://, and with a shared secret over ws:// and wss://.</summary>
#pragma warning disable CA1001 // xunit disposes the fields through IAsyncLifetime.DisposeAsync
public sealed partial class SyncClientCliTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string Secret = "cli-secret-0123456789";

    /// <summary>A refused run must end long before this: it does not wait for the server until the timeout.</summary>
    private const string LongTimeout = "120";

    private readonly EndToEndHarness _e2e = new(TestModels.Json);
    private ServerProcess? _secureServer;

    /// <summary>The unsecured server of most tests; the login tests start their own (<see cref="StartSecureServerAsync"/>).</summary>
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_secureServer is not null)
        {
            await _secureServer.DisposeAsync();
        }

        await _e2e.DisposeAsync();
    }

    [Fact]
    public async Task An_object_put_in_one_data_directory_is_listed_and_got_as_JSON_in_another()
    {
        await _e2e.Server.StartAsync();
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
        await _e2e.Server.StartAsync();
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
        await _e2e.Server.StartAsync();
        var result = await RunAsync("cli-a", json is null ? [command, entity] : [command, entity, json]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Errors, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task With_the_servers_shared_secret_put_and_list_work_and_a_wrong_secret_exits_at_once_with_1_and_credentials_rejected()
    {
        var server = await StartSecureServerAsync(tls: false);
        var secretFile = _e2e.Directory.Combine("secret.txt");
        await File.WriteAllTextAsync(secretFile, Secret + "\n");

        var put = await RunAtAsync(server, "cli-a", "--shared-secret-file", secretFile, "put", "Task", """{"title":"Secret plans"}""");
        Assert.Equal((0, ""), (put.ExitCode, put.Errors));

        var list = await RunAtAsync(server, "cli-b", "--shared-secret", Secret, "list", "Task");
        Assert.Equal((0, ""), (list.ExitCode, list.Errors));
        Assert.Equal("Secret plans", Assert.Single(ListedTitles(list)));

        // Refused logins end the run at once, although the timeout is longer than the test waits for the process.
        var wrongList = await RunAtAsync(server, "cli-c", "--shared-secret", "not the secret", "--timeout", LongTimeout, "list", "Task");
        Assert.Equal((1, ""), (wrongList.ExitCode, wrongList.Output));
        Assert.Contains("Login refused (43 credentials rejected)", wrongList.Errors, StringComparison.Ordinal);

        var wrongPut = await RunAtAsync(server, "cli-c", "--shared-secret", "not the secret", "--timeout", LongTimeout, "put", "Task", """{"title":"Sneaky"}""");
        Assert.Equal((1, ""), (wrongPut.ExitCode, wrongPut.Output));
        Assert.Contains("credentials rejected", wrongPut.Errors, StringComparison.Ordinal);
        Assert.Contains("Task 1 stays queued", wrongPut.Errors, StringComparison.Ordinal);

        var none = await RunAtAsync(server, "cli-d", "--timeout", LongTimeout, "list", "Task");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("credentials rejected", none.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_JWT_from_jwt_file_put_and_list_work_and_an_expired_one_is_refused()
    {
        using var tokens = TestTokens.Rsa();
        var config = _e2e.Directory.Combine("jwt-config.json");
        await File.WriteAllTextAsync(config, $$"""
            { "auth": { "jwt": { "publicKey": {{JsonSerializer.Serialize(tokens.PublicKeyPem)}}, "claimAud": "{{TestTokens.Audience}}", "claimIss": "{{TestTokens.Issuer}}" } } }
            """);
        _secureServer = await ServerProcess.StartAndWaitAsync(_e2e.Directory.Path, ["--model", _e2e.ModelPath, "-c", config, "-d", _e2e.Directory.Combine("jwt-server")]);
        var server = _secureServer.SyncUrl;
        var tokenFile = _e2e.Directory.Combine("token.jwt");
        await File.WriteAllTextAsync(tokenFile, tokens.Create() + "\n");

        var put = await RunAtAsync(server, "cli-a", "--jwt-file", tokenFile, "put", "Task", """{"title":"Token plans"}""");
        Assert.Equal((0, ""), (put.ExitCode, put.Errors));
        var list = await RunAtAsync(server, "cli-b", "--jwt-file", tokenFile, "--jwt-kind", "id", "list", "Task");
        Assert.Equal((0, ""), (list.ExitCode, list.Errors));
        Assert.Equal("Token plans", Assert.Single(ListedTitles(list)));

        var expiredFile = _e2e.Directory.Combine("expired.jwt");
        await File.WriteAllTextAsync(expiredFile, tokens.Create(notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1)));
        var expired = await RunAtAsync(server, "cli-c", "--jwt-file", expiredFile, "--timeout", LongTimeout, "list", "Task");
        Assert.Equal((1, ""), (expired.ExitCode, expired.Output));
        Assert.Contains("credentials rejected", expired.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_wss_the_servers_certificate_given_with_trusted_cert_works_and_without_it_the_run_fails_with_a_certificate_message()
    {
        var server = await StartSecureServerAsync(tls: true);
        var certificate = _e2e.Directory.Combine("tls", "cert.pem");

        var put = await RunAtAsync(server, "cli-a", "--shared-secret", Secret, "--trusted-cert", certificate, "put", "Task", """{"title":"Over TLS"}""");
        Assert.Equal((0, ""), (put.ExitCode, put.Errors));

        var list = await RunAtAsync(server, "cli-b", "--shared-secret", Secret, "--trusted-cert", certificate, "list", "Task");
        Assert.Equal((0, ""), (list.ExitCode, list.Errors));
        Assert.Equal("Over TLS", Assert.Single(ListedTitles(list)));

        var untrusting = await RunAtAsync(server, "cli-c", "--shared-secret", Secret, "--timeout", LongTimeout, "list", "Task");
        Assert.Equal((1, ""), (untrusting.ExitCode, untrusting.Output));
        Assert.Contains($"Cannot connect to {server} over TLS", untrusting.Errors, StringComparison.Ordinal);
        Assert.Contains("certificate", untrusting.Errors, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("--trusted-cert", untrusting.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_directory_another_process_holds_exits_with_1_naming_it_and_changes_nothing()
    {
        await _e2e.Server.StartAsync();
        var directory = _e2e.Directory.Combine("cli-held");
        Assert.Equal(0, (await RunAsync("cli-held", "put", "Task", """{"title":"Before"}""")).ExitCode);

        // util-linux flock takes the same exclusive flock .NET takes for FileShare.None (the SDK's sync-client.lock).
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-x", "-n", Path.Combine(directory, "sync-client.lock"), "-c", "echo held; exec sleep 60"])
        {
            RedirectStandardOutput = true,
        })!;
        try
        {
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));

            var put = await RunAsync("cli-held", "put", "Task", """{"title":"While held"}""");
            Assert.Equal((1, ""), (put.ExitCode, put.Output));
            Assert.Contains($"'{directory}' is in use by another SyncClient", put.Errors, StringComparison.Ordinal);
        }
        finally
        {
            holder.Kill(entireProcessTree: true); // flock runs the command in a child that shares the lock
            await holder.WaitForExitAsync();
        }

        var list = await RunAsync("cli-held", "list", "Task");
        Assert.Equal((0, ""), (list.ExitCode, list.Errors));
        Assert.Equal(["Before"], ListedTitles(list));
    }

    [Theory]
    [InlineData("--shared-secret", "--jwt", "--shared-secret (shared secret) and --jwt (JWT) conflict")]
    [InlineData("--google-id-token", "--user", "--google-id-token (Google ID token) and --user (admin user) conflict")]
    [InlineData("--jwt", "--password", "--jwt (JWT) and --password (admin user) conflict")]
    [InlineData("--jwt", "--jwt-file", "--jwt and --jwt-file conflict: give one of them")]
    public async Task Two_credential_options_that_conflict_exit_with_1_naming_both(string first, string second, string expected)
    {
        await using var process = ChildProcess.Start(TestPaths.ClientCliDll, _e2e.Directory.Path,
            ["--model", _e2e.ModelPath, "--dir", _e2e.Directory.Combine("cli-a"), first, "x", second, "y", "list", "Task"]);

        var exitCode = await process.WaitForExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, process.StandardError, StringComparison.Ordinal);
    }

    /// <summary>The server requiring the shared secret <see cref="Secret"/>, over wss:// (with a self-signed certificate in
    /// tls/cert.pem) or ws://; returns its sync URL.</summary>
    private async Task<Uri> StartSecureServerAsync(bool tls)
    {
        var config = _e2e.Directory.Combine("sync-server-config.json");
        await File.WriteAllTextAsync(config, $$"""{ "auth": { "sharedSecret": { "value": "{{Secret}}", "required": true } } }""");
        string[] arguments = ["--model", _e2e.ModelPath, "-c", config, "-d", _e2e.Directory.Combine("secure-server")];
        if (tls)
        {
            TestCertificate.CreatePemFiles(_e2e.Directory.Combine("tls")).Dispose();
            _secureServer = await ServerProcess.StartTlsAndWaitAsync(
                _e2e.Directory.Path, new Dictionary<string, string>(), [.. arguments, "--cert", _e2e.Directory.Combine("tls")]);
        }
        else
        {
            _secureServer = await ServerProcess.StartAndWaitAsync(_e2e.Directory.Path, arguments);
        }

        return _secureServer.SyncUrl;
    }

    private static IEnumerable<string?> ListedTitles(CliResult list)
    {
        using var listed = JsonDocument.Parse(list.Output);
        return [.. listed.RootElement.EnumerateArray().Select(task => task.GetProperty("title").GetString())];
    }

    private ChildProcess Start(string directory, params string[] command) => StartAt(_e2e.Server.Url, directory, command);

    private ChildProcess StartAt(Uri server, string directory, IEnumerable<string> arguments) => ChildProcess.Start(
        TestPaths.ClientCliDll,
        _e2e.Directory.Path,
        ["--server", server.ToString(), "--model", _e2e.ModelPath, "--dir", _e2e.Directory.Combine(directory), .. arguments]);

    private Task<CliResult> RunAsync(string directory, params string[] command) => RunAtAsync(_e2e.Server.Url, directory, command);

    /// <summary>Runs sync-client against <paramref name="server"/> with <paramref name="arguments"/> (options, then the command).</summary>
    private async Task<CliResult> RunAtAsync(Uri server, string directory, params string[] arguments)
    {
        await using var process = StartAt(server, directory, arguments);
        var exitCode = await process.WaitForExitAsync();
        return new CliResult(exitCode, process.StandardOutput, process.StandardError);
    }

    private sealed record CliResult(int ExitCode, string Output, string Errors);

    [GeneratedRegex(@"^\[LoggedIn\]$")]
    private static partial Regex LoggedInRegex();

    [GeneratedRegex("Walk the dog")]
    private static partial Regex WalkTheDogRegex();
}
