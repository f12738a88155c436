using SyncServer.Tests.TestSupport;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Web.Tests;

/// <summary>
/// The real server with damaged, truncated or full database files: it refuses to start with one line naming the file and
/// leaves it as it was, or (full) refuses writes with one warning while logins and reads go on.
/// </summary>
public sealed class DamagedDatabaseProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DataDirectory => _dir.Combine("objectbox");

    private string DatabaseFile => _dir.Combine("objectbox", "sync-server.db");

    [Fact]
    public async Task A_database_damaged_in_the_middle_is_refused_at_start_naming_the_file_and_left_as_it_was()
    {
        await StartAndStopAsync("--model", TestPaths.ExampleModel);
        DamagedDatabase.DamageTable(DatabaseFile, "clients");
        var before = DirectorySnapshot.Of(DataDirectory);

        await using (var refused = ServerProcess.Start(_dir.Path, "--unsecured-no-authentication"))
        {
            Assert.Equal(1, await refused.WaitForExitAsync());
            var error = Assert.Single(refused.Output, l => l.Contains("[ERROR]", StringComparison.Ordinal));
            Assert.Contains($"Runtime error: Database {DatabaseFile} is damaged: restore from a backup (PRAGMA quick_check: ", error, StringComparison.Ordinal);
            Assert.EndsWith("nothing was written. To start anyway and serve what can be read, pass --skip-integrity-check", error, StringComparison.Ordinal);
            StartRefusalProcessTests.AssertNoStackTrace(refused);
        }

        Assert.Equal(before, DirectorySnapshot.Of(DataDirectory));

        // The documented switch skips the check (for databases too large to read through at every start).
        var skipped = await StartAndStopAsync("--skip-integrity-check");
        Assert.Contains(skipped, l => l.EndsWith($"[WARN ] [SyStor] Integrity check of {DatabaseFile} skipped (--skip-integrity-check)", StringComparison.Ordinal)
            || l.Contains($"Integrity check of {DatabaseFile} skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_database_beside_admin_users_db_is_refused_naming_the_file_and_how_to_start_fresh()
    {
        await StartAndStopAsync("--model", TestPaths.ExampleModel);
        File.WriteAllBytes(DatabaseFile, []);
        var before = DirectorySnapshot.Of(DataDirectory);

        await using var refused = ServerProcess.Start(_dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication");

        Assert.Equal(1, await refused.WaitForExitAsync());
        var error = Assert.Single(refused.Output, l => l.Contains("[ERROR]", StringComparison.Ordinal));
        Assert.EndsWith(
            $"Runtime error: Database {DatabaseFile} is empty (0 bytes), but admin-users.db beside it is from an earlier run: the database was lost or truncated. "
            + $"Restore it from a backup; to start fresh on purpose (client numbers begin again at 1: reset every client's local data), delete {DatabaseFile}",
            error, StringComparison.Ordinal);
        Assert.Equal(before, DirectorySnapshot.Of(DataDirectory));
        Assert.Equal(0, new FileInfo(DatabaseFile).Length);
    }

    [Fact]
    public async Task A_damaged_admin_users_db_is_refused_at_start_naming_the_file_before_anything_is_written()
    {
        await StartAndStopAsync("--model", TestPaths.ExampleModel);
        var adminUsers = _dir.Combine("objectbox", "admin-users.db");
        using (var file = File.OpenWrite(adminUsers))
        {
            file.Write("Not SQLite at all, sorry"u8); // over the header "SQLite format 3\0"
        }

        var before = DirectorySnapshot.Of(DataDirectory);
        var changed = _dir.Combine("changed.json");
        var model = ModelJson.Example();
        model.AddProperty("Task", "estimateMinutes", Core.Model.PropertyType.Int);
        File.WriteAllText(changed, model.ToJsonString());

        await using var refused = ServerProcess.Start(_dir.Path, "--model", changed, "--unsecured-no-authentication");

        Assert.Equal(1, await refused.WaitForExitAsync());
        var error = Assert.Single(refused.Output, l => l.Contains("[ERROR]", StringComparison.Ordinal));
        Assert.Contains($"Runtime error: The admin users' database {adminUsers} is damaged: restore it from a backup, or move it away", error, StringComparison.Ordinal);
        StartRefusalProcessTests.AssertNoStackTrace(refused);
        Assert.Equal(before, DirectorySnapshot.Of(DataDirectory)); // no new schema version either
    }

    [Fact]
    public async Task At_the_size_limit_writes_are_refused_with_one_warning_while_a_known_client_logs_in_and_reads()
    {
        var model = Core.Model.ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel));
        var hash = Convert.FromHexString(model.Hash);
        var clientId = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        await using var server = await ServerProcess.StartAndWaitAsync(
            _dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication", "--db-max-size", "96K");

        // A second client logs in once while there is room: it is known when the database is full.
        var readerId = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        await using (var first = await RawSyncClient.ConnectAsync(server.SyncPort))
        {
            first.ClientId = readerId;
            Assert.Equal(LoginResultCode.Ok, (await first.LoginAsync(hash, RequestUpdatesMode.Manual)).Code);
        }

        // Fill the database until a TX is refused; then two more refused TXs from new sessions.
        var acked = 0;
        var refusals = 0;
        for (var round = 0; round < 60 && refusals < 3; round++)
        {
            await using var client = await RawSyncClient.ConnectAsync(server.SyncPort);
            client.ClientId = clientId;
            var login = await client.LoginAsync(hash, RequestUpdatesMode.Manual);
            Assert.True(login.Code == LoginResultCode.Ok, $"login {round}: {RawSyncClient.Describe(login)}\n{server.AllOutput}");
            await client.SendAsync(new ApplyTxMessage(new ClientTx((ulong)round + 1, [ProjectPut(model, login.ClientNumber, (ulong)round + 1, new string('x', 6000))])));
            switch (await client.ReceiveAsync())
            {
                case AckTxMessage:
                    acked++;
                    break;
                case ErrorMessage error:
                    Assert.Contains("reached (--db-max-size)", error.Text, StringComparison.Ordinal);
                    refusals++;
                    break;
                case var other:
                    Assert.Fail($"unexpected {RawSyncClient.Describe(other)}");
                    break;
            }
        }

        Assert.True(refusals == 3, $"{acked} acked, {refusals} refused\n{server.AllOutput}");
        Assert.InRange(acked, 1, 50);

        // A known client still logs in and reads everything that was ACKed.
        await using (var reader = await RawSyncClient.ConnectAsync(server.SyncPort))
        {
            reader.ClientId = readerId;
            var (result, catchUp, _) = await reader.LoginAndCatchUpAsync(hash);
            Assert.Equal(LoginResultCode.Ok, result.Code);
            Assert.Equal(acked, catchUp.OfType<FullSyncDataMessage>().SelectMany(m => m.Ops).OfType<PutOp>().Count());
        }

        Assert.Equal(0, await server.StopAsync());
        var warning = Assert.Single(server.Output, l => l.Contains("[WARN ]", StringComparison.Ordinal) && l.Contains("writes are refused", StringComparison.Ordinal));
        Assert.Contains($"Database size limit 96 KB of {DatabaseFile} reached (--db-max-size): writes are refused until there is room again; logins and reads go on", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Output, l => l.Contains("[ERROR]", StringComparison.Ordinal) && !l.Contains("ERROR 50", StringComparison.Ordinal) && l.Contains("could not be committed", StringComparison.Ordinal));
        StartRefusalProcessTests.AssertNoStackTrace(server);
    }

    private static PutOp ProjectPut(Core.Model.ObjectBoxModel model, uint clientNumber, ulong localId, string name)
    {
        var project = model.FindEntity(1)!;
        var id = ((ulong)clientNumber << 40) | localId;
        return new PutOp(project.Id.Id, id, ObjectCodec.Encode(project, new Dictionary<uint, object?> { [1] = id, [2] = name, [3] = 7 }));
    }

    private async Task<IReadOnlyList<string>> StartAndStopAsync(params string[] arguments)
    {
        await using var server = await ServerProcess.StartAndWaitAsync(_dir.Path, [.. arguments, "--unsecured-no-authentication"]);
        Assert.Equal(0, await server.StopAsync());
        return server.Output;
    }
}
