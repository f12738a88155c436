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

    [Fact]
    public async Task A_put_the_sync_filter_refuses_exits_1_with_the_servers_reason_and_the_correction_removes_it_locally()
    {
        await using var server = new FakeSyncServer();
        var run = RunAtAsync(server.Url, "cli-denied", "--timeout", LongTimeout, "--filter-var", "team=green", "put", "Task", """{"title":"Not mine"}""");
        var session = await server.NextSessionAsync();
        await session.ReceiveAsync<LoginMessage>();
        await session.SendAsync(new LoginResultMessage(LoginResultCode.Ok, 0, 3, 1, 0, 0, ""));
        var apply = await session.ReceiveAsync<ApplyTxMessage>();
        const string reason = "operation 0: Task 3298534883329 does not match the sync filter of this client as written";
        await session.SendAsync(new ErrorMessage(ErrorCode.PermissionDenied, apply.Tx.ClientTxId, reason));
        await session.SendAsync(new TxsMessage(false, [EncodedTx.From(new ServerTx(0, 0, [new RemoveOp(TestModels.TaskId, (3UL << 40) | 1, 0)]))]));
        var result = await run;

        Assert.Equal((1, ""), (result.ExitCode, result.Output));
        Assert.Contains($"The server refused TX 1 (13 PermissionDenied: {reason}): the server's sync filter does not let this client write it",
            result.Errors, StringComparison.Ordinal);
        await using var list = ChildProcess.Start(TestPaths.ClientCliDll, _e2e.Directory.Path,
            ["--model", _e2e.ModelPath, "--dir", _e2e.Directory.Combine("cli-denied"), "list", "Task"]);
        Assert.Equal(0, await list.WaitForExitAsync());
        Assert.Empty(ListedTitles(new CliResult(0, list.StandardOutput, list.StandardError))); // the correction was applied
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
