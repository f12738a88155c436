using SyncServer.Client.Tests.Infrastructure;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Client.Tests;

/// <summary><c>--filter-var</c>: what LOGIN carries, bad values, and the refusal for a missing variable.</summary>
public sealed partial class SyncClientCliTests
{
    [Fact]
    public async Task Filter_vars_go_in_LOGIN_as_values_and_lists_and_a_refusal_for_a_missing_one_prints_the_servers_text_and_exits_1()
    {
        await using var server = new FakeSyncServer();
        var run = RunAtAsync(server.Url, "cli-f", "--timeout", LongTimeout,
            "--filter-var", "team=green", "--filter-var", "groups=a,b", "--filter-var", "one=x,", "--filter-var", "none=,",
            "--filter-var", "blank=", "--filter-var", "sum=1+1=2", "list", "Task");
        var session = await server.NextSessionAsync();
        var login = await session.ReceiveAsync<LoginMessage>();
        const string text = "the sync filter of entity Task needs $client.region, which this login does not have";
        await session.SendAsync(new LoginResultMessage(LoginResultCode.FilterVariableMissing, 0, 0, 0, 0, 0, text));
        var result = await run;

        Assert.Equal(2, (int)login.ProtocolVersion);
        Assert.Equal(
            ["team \"green\"", "groups [a|b]", "one [x]", "none []", "blank \"\"", "sum \"1+1=2\""],
            login.Variables.Select(v => v.IsList ? $"{v.Name} [{string.Join('|', v.Values)}]" : $"{v.Name} \"{v.Values[0]}\""));
        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.Contains($"Login refused (44 filter variable missing: \"{text}\").", result.Errors, StringComparison.Ordinal);
        Assert.Contains("--filter-var name=value", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "team" }, "--filter-var \"team\": expected name=value (or name=a,b for a list).")]
    [InlineData(new[] { "=green" }, "--filter-var \"=green\": the name before '=' is empty.")]
    [InlineData(new[] { "team=a", "team=b,c" }, "--filter-var \"team=b,c\": 'team' is given twice.")]
    [InlineData(new[] { "a2345678901234567890123456789012345678901234567890123456789012345=x" },
        "--filter-var \"a23456789012345678901234567890123456789012345678901234567890…\": Filter variable " +
        "'a2345678901234567890123456789012345678901234567890123456789012345': the name is 65 bytes of UTF-8; at most 64.")]
    public async Task A_bad_filter_var_exits_with_2_and_one_line_naming_the_option_and_value_before_anything_is_written(string[] values, string expected)
    {
        var directory = _e2e.Directory.Combine("cli-bad");
        await using var process = ChildProcess.Start(TestPaths.ClientCliDll, _e2e.Directory.Path,
            ["--server", "ws://127.0.0.1:1", "--model", _e2e.ModelPath, "--dir", directory, .. values.SelectMany(v => new[] { "--filter-var", v }), "list", "Task"]);

        var exitCode = await process.WaitForExitAsync();

        Assert.Equal((2, expected, ""), (exitCode, process.StandardError, process.StandardOutput));
        Assert.False(Directory.Exists(directory));
    }
}
