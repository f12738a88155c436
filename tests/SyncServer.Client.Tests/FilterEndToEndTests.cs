using System.Text.RegularExpressions;
using SyncServer.Client.Tests.Infrastructure;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;
using SyncServer.Engine.Tests.Auth;

namespace SyncServer.Client.Tests;

/// <summary>
/// Sync filters end to end: the real server with <c>syncFilters</c>, real JWTs from a local key server, and the real SDK
/// (docs/filters.md). Alice and Bob each see their own notes and the shared ones; writes outside a user's filter are
/// refused; an object that changes owner moves between the stores; changed claims converge without a re-download.
/// </summary>
#pragma warning disable CA1001 // xunit disposes the fields through IAsyncLifetime.DisposeAsync
public sealed partial class FilterEndToEndTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string ModelJson = """
        {
          "entities": [
            { "id": "1:7001", "lastPropertyId": "4:7014", "name": "Note", "flags": 2,
              "properties": [
                { "id": "1:7011", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:7012", "name": "owner", "type": 9 },
                { "id": "3:7013", "name": "title", "type": 9 },
                { "id": "4:7014", "name": "shared", "type": 1 } ],
              "relations": [] },
            { "id": "2:7021", "lastPropertyId": "3:7024", "name": "TeamDoc", "flags": 2,
              "properties": [
                { "id": "1:7022", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:7023", "name": "team", "type": 9 },
                { "id": "3:7024", "name": "text", "type": 9 } ],
              "relations": [] }
          ],
          "lastEntityId": "2:7021", "lastIndexId": "0:0", "lastRelationId": "0:0", "lastSequenceId": "0:0",
          "modelVersion": 5, "modelVersionParserMinimum": 5,
          "retiredEntityUids": [], "retiredIndexUids": [], "retiredPropertyUids": [], "retiredRelationUids": [],
          "version": 1
        }
        """;

    private readonly TestTokens _signer = TestTokens.Rsa("filters-1");
    private KeyServer _keys = null!;
    private EndToEndHarness _e2e = null!;

    public async Task InitializeAsync()
    {
        _keys = new KeyServer(TestTokens.Jwks(_signer));
        _e2e = new EndToEndHarness(ModelJson, "-c", "filters-config.json", "--log-level", "debug");
        await File.WriteAllTextAsync(_e2e.Directory.Combine("filters-config.json"), $$"""
            {
              "auth": { "jwt": { "publicKeyUrl": "{{_keys.Url}}", "claimAud": "{{TestTokens.Audience}}", "claimIss": "{{TestTokens.Issuer}}" } },
              "syncFilters": {
                "Note": "owner == $auth.sub OR shared == true",
                "TeamDoc": "team IN $auth.teams"
              }
            }
            """);
        await _e2e.Server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _e2e.DisposeAsync();
        _keys.Dispose();
        _signer.Dispose();
    }

    [Fact]
    public async Task Each_user_sees_only_their_notes_and_the_shared_ones_live_after_a_full_sync_and_by_catch_up()
    {
        var alice = _e2e.Client("alice", credentials: Token("alice"));
        var bob = _e2e.Client("bob", credentials: Token("bob"));
        await UntilLoggedInAsync(alice, bob);

        Put(alice, "alice", "a1");
        Put(alice, "alice", "a2");
        Put(bob, "bob", "b1");
        Put(alice, "alice", "s1", shared: true);

        // Live: Bob gets the shared note pushed, never Alice's own ones.
        await _e2e.UntilAsync(() => Titles(bob).SetEquals(["b1", "s1"]), "bob has b1 and the shared s1", null, alice, bob);
        await _e2e.UntilAsync(() => Titles(alice).SetEquals(["a1", "a2", "s1"]), "alice has her notes", null, alice, bob);
        Assert.Equal(["b1", "s1"], Titles(bob).Order());

        // Full sync: a new device of Alice's gets exactly her view.
        var laptop = await _e2e.CaughtUpClientAsync("alice-laptop", Token("alice"));
        Assert.Equal(["a1", "a2", "s1"], Titles(laptop).Order());

        // Catch-up: Bob offline while Alice writes, then back.
        bob = await _e2e.OfflineAsync(bob, "bob");
        Put(alice, "alice", "a3");
        Put(alice, "alice", "s2", shared: true);
        await EndToEndHarness.UploadedAsync(alice);
        var caughtUp = EndToEndHarness.UpdatesCompletedAsync(bob);
        bob.Start();
        await caughtUp;
        Assert.Equal(["b1", "s1", "s2"], Titles(bob).Order());
        await _e2e.UntilAsync(() => Titles(laptop).SetEquals(["a1", "a2", "a3", "s1", "s2"]), "the laptop has Alice's new notes", null, laptop);
    }

    [Fact]
    public async Task A_put_the_writers_filter_does_not_allow_is_refused_and_the_writer_keeps_syncing()
    {
        var alice = _e2e.Client("alice", credentials: Token("alice"));
        var bob = _e2e.Client("bob", credentials: Token("bob"));
        await UntilLoggedInAsync(alice, bob);
        var rejected = Wait.ForEventAsync<TxRejectedEventArgs>(h => alice.TxRejected += h, h => alice.TxRejected -= h, () =>
        {
            Put(alice, "bob", "forged for bob");
            return Task.CompletedTask;
        });

        var refusal = await rejected;

        Assert.Equal(ErrorCode.PermissionDenied, refusal.Code);
        Assert.Contains("as written does not match this client's filter", refusal.Text, StringComparison.Ordinal);
        // The correction that follows the refusal takes the forged note out of Alice's store, and her session goes on.
        await _e2e.UntilAsync(() => Titles(alice).Count == 0, "the forged note is gone from alice's store", null, alice);
        Put(alice, "alice", "mine");
        Put(bob, "bob", "bob's own");
        await _e2e.UntilAsync(() => Titles(alice).SetEquals(["mine"]) && Titles(bob).SetEquals(["bob's own"]), "both wrote their own", null, alice, bob);
        await EndToEndHarness.UploadedAsync(alice);
        Assert.Equal(SyncState.LoggedIn, alice.State);
        Assert.Equal(0, alice.OutboxCount);
        var bobsLaptop = await _e2e.CaughtUpClientAsync("bob-laptop", Token("bob"));
        Assert.Equal(["bob's own"], Titles(bobsLaptop).Order());
    }

    [Fact]
    public async Task Writing_an_object_of_another_user_by_its_ID_is_refused_as_a_whole_and_changes_nothing()
    {
        var schemaHash = Convert.FromHexString(ModelJsonReader.Read(ModelJson).Hash);
        var note = ModelJsonReader.Read(ModelJson).FindEntity("Note")!;
        await using var bob = await RawSyncClient.ConnectAsync(_e2e.Server.Url);
        Assert.Equal(LoginResultCode.Ok, (await LoginAsync(bob, schemaHash, "bob")).Code);
        var bobsId = ((ulong)bob.ClientNumber << 40) | 1;
        await bob.SendAsync(new ApplyTxMessage(new ClientTx(1, [NotePut(note, bobsId, "bob", "bob's plan")])));
        Assert.IsType<AckTxMessage>(await bob.ReceiveAsync());

        await using var mallory = await RawSyncClient.ConnectAsync(_e2e.Server.Url);
        Assert.Equal(LoginResultCode.Ok, (await LoginAsync(mallory, schemaHash, "mallory")).Code);
        var ownId = ((ulong)mallory.ClientNumber << 40) | 1;
        await mallory.SendAsync(new ApplyTxMessage(new ClientTx(7, [
            NotePut(note, ownId, "mallory", "mine, in the same TX"),
            NotePut(note, bobsId, "mallory", "taken over")])));

        var error = Assert.IsType<ErrorMessage>(await ExpectAsync(mallory, m => m is ErrorMessage));
        Assert.Equal((ErrorCode.PermissionDenied, 7UL), (error.Code, error.ClientTxId));
        Assert.Equal($"operation 1: Note {bobsId} is not visible to this client (sync filter \"owner == $auth.sub OR shared == true\")", error.Text);
        var correction = Assert.IsType<TxsMessage>(await mallory.ReceiveAsync());
        Assert.Equal(0UL, correction.Txs.Single().Position);
        // What Mallory may see of what the TX touched: her own note does not exist (nothing was stored), Bob's is not hers.
        Assert.Equal([$"REMOVE {ownId}", $"REMOVE {bobsId}"], correction.Txs.Single().DecodeOps().Select(op => $"REMOVE {((RemoveOp)op).ObjectId}"));

        // The session goes on: her next TX is ACKed.
        await mallory.SendAsync(new ApplyTxMessage(new ClientTx(8, [NotePut(note, ownId, "mallory", "mine")])));
        Assert.IsType<AckTxMessage>(await ExpectAsync(mallory, m => m is AckTxMessage));

        // Bob's note is as he wrote it, and Mallory's refused TX left nothing behind.
        var bobsPhone = await _e2e.CaughtUpClientAsync("bob-phone", Token("bob"));
        Assert.Equal(["bob's plan"], Titles(bobsPhone).Order());
        await _e2e.Server.Process!.WaitForLineAsync(RefusedLogLine());
    }

    [Fact]
    public async Task A_note_that_changes_owner_leaves_the_old_owners_store_and_arrives_in_the_new_owners()
    {
        var alice = _e2e.Client("alice", credentials: Token("alice"));
        var bob = _e2e.Client("bob", credentials: Token("bob"));
        var carol = _e2e.Client("carol", credentials: Token("carol"));
        await UntilLoggedInAsync(alice, bob, carol);
        var id = Put(alice, "alice", "handover", shared: true);
        await _e2e.UntilAsync(() => Titles(bob).Contains("handover") && Titles(carol).Contains("handover"), "everyone sees the shared note", null, alice, bob, carol);

        // Bob may write it (he sees it as shared, and it is his as written): it becomes his alone.
        var bobsId = bob.Box("Note").GetAll().Single()["id"]!;
        bob.Box("Note").Put(EndToEndHarness.Values(("id", bobsId), ("owner", "bob"), ("title", "handover"), ("shared", false)));

        await _e2e.UntilAsync(() => Titles(alice).Count == 0 && Titles(carol).Count == 0, "the note left alice's and carol's stores", null, alice, bob, carol);
        Assert.Null(alice.Box("Note").Get(id));
        Assert.Equal(["handover"], Titles(bob).Order());
        var bobsLaptop = await _e2e.CaughtUpClientAsync("bob-laptop", Token("bob"));
        Assert.Equal(["handover"], Titles(bobsLaptop).Order());
    }

    [Fact]
    public async Task Changed_claims_converge_to_the_new_visible_set_without_downloading_again_what_the_client_has()
    {
        var writer = _e2e.Client("writer", credentials: Token("writer", "red", "blue", "green"));
        await UntilLoggedInAsync(writer);
        foreach (var (team, count) in new[] { ("red", 3), ("blue", 2), ("green", 1) })
        {
            for (var i = 0; i < count; i++)
            {
                writer.Box("TeamDoc").Put(EndToEndHarness.Values(("team", team), ("text", $"{team} {i}")));
            }
        }

        await EndToEndHarness.UploadedAsync(writer);
        var device = await _e2e.CaughtUpClientAsync("device", Token("dana", "red"));
        Assert.Equal(3, device.Box("TeamDoc").Count());

        // A new token: red and blue. The delta brings the 2 blue docs and nothing else.
        var converged = EndToEndHarness.UpdatesCompletedAsync(device);
        device.SetCredentials(Token("dana", "red", "blue"));
        await converged;
        await _e2e.UntilAsync(() => Teams(device).SetEquals(["red", "blue"]) && device.Box("TeamDoc").Count() == 5, "red and blue", null, device);
        await _e2e.Server.Process!.WaitForLineAsync(DeltaLine(2, 0)); // logged before UPDATES_COMPLETE; read from the pipe later

        // Then only blue: the 3 red docs go, nothing comes.
        converged = EndToEndHarness.UpdatesCompletedAsync(device);
        device.SetCredentials(Token("dana", "blue"));
        await converged;
        await _e2e.UntilAsync(() => Teams(device).SetEquals(["blue"]) && device.Box("TeamDoc").Count() == 2, "blue only", null, device);
        await _e2e.Server.Process!.WaitForLineAsync(DeltaLine(0, 3));

        // The state is stored: the next login with the same claims sends no delta at all.
        device = await _e2e.OfflineAsync(device, "device", Token("dana", "blue"));
        var again = EndToEndHarness.UpdatesCompletedAsync(device);
        device.Start();
        await again;
        await _e2e.UntilAsync(() => device.Box("TeamDoc").Count() == 2, "still blue only", null, device);
        await Task.Delay(500); // what the server logged for this login has reached the pipe
        Assert.Equal(2, Regex.Count(_e2e.Server.Process!.AllOutput, "sync filters changed, delta"));
        Assert.Equal(2, device.Box("TeamDoc").Count());
    }

    [Fact]
    public async Task A_login_without_a_claim_the_filters_need_is_refused_with_44_naming_the_variable()
    {
        var anonymous = _e2e.Client("anonymous", start: false);
        var refused = Wait.ForEventAsync<LoginFailedEventArgs>(h => anonymous.LoginFailed += h, h => anonymous.LoginFailed -= h, () =>
        {
            anonymous.Start();
            return Task.CompletedTask;
        });

        var failure = await refused;

        Assert.Equal(LoginResultCode.FilterVariableMissing, failure.Code);
        Assert.Equal("the sync filter of entity Note needs $auth.sub, which this login does not have", failure.Text);
    }

    private static Regex DeltaLine(int puts, int removes) =>
        new($@"sync filters changed, delta from position \d+ at snapshot \d+: {puts} puts, {removes} removes");

    [GeneratedRegex(@"refused by its sync filter: operation 1: Note \d+ is not visible")]
    private static partial Regex RefusedLogLine();

    private SyncCredentials Token(string subject, params string[] teams) =>
        SyncCredentials.JwtId(_signer.Create(claims: new Dictionary<string, object> { ["sub"] = subject, ["teams"] = teams }));

    private Task<LoginResultMessage> LoginAsync(RawSyncClient client, byte[] schemaHash, string subject) =>
        client.LoginAsync(schemaHash, RequestUpdatesMode.Manual, credentialType: CredentialType.JwtId,
            credentials: System.Text.Encoding.UTF8.GetBytes(_signer.Create(claims: new Dictionary<string, object> { ["sub"] = subject, ["teams"] = Array.Empty<string>() })));

    private static PutOp NotePut(ModelEntity note, ulong id, string owner, string title) =>
        new(note.Id.Id, id, ObjectCodec.Encode(note, new Dictionary<uint, object?> { [1] = id, [2] = owner, [3] = title, [4] = false }));

    private static async Task<SyncMessage> ExpectAsync(RawSyncClient client, Func<SyncMessage, bool> wanted)
    {
        while (true)
        {
            var message = await client.ReceiveAsync();
            if (wanted(message))
            {
                return message;
            }
        }
    }

    private static ulong Put(SyncClient client, string owner, string title, bool shared = false) =>
        client.Box("Note").Put(EndToEndHarness.Values(("owner", owner), ("title", title), ("shared", shared)));

    private static HashSet<string> Titles(SyncClient client) => [.. client.Box("Note").GetAll().Select(n => (string)n["title"]!)];

    private static HashSet<string> Teams(SyncClient client) => [.. client.Box("TeamDoc").GetAll().Select(n => (string)n["team"]!)];

    private Task UntilLoggedInAsync(params SyncClient[] clients) =>
        _e2e.UntilAsync(() => clients.All(c => c.State == SyncState.LoggedIn), "all logged in", null, clients);
}
