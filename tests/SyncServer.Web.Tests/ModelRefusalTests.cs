using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace SyncServer.Web.Tests;

/// <summary>An invalid model file is refused with exit code 2, a message naming what and where, and an untouched database.</summary>
public sealed class ModelRefusalTests
{
    public static TheoryData<string, string> InvalidModels() => new()
    {
        { "malformed JSON", "line " },
        { "unknown type code", "unknown property type 99" },
        { "duplicate UID", "UIDs must be unique" },
        { "relation target missing", "Nowhere" },
        { "last entity ID too low", "lastEntityId" },
        { "UID used and retired", "retired" },
    };

    [Theory]
    [MemberData(nameof(InvalidModels))]
    public async Task An_invalid_model_exits_with_2_names_the_problem_and_leaves_the_database_untouched(string defect, string expectedText)
    {
        using var dir = new TempDirectory();
        await using (var first = await ServerProcess.StartAndWaitAsync(dir.Path, "--model", TestPaths.ExampleModel, "--unsecured-no-authentication"))
        {
            Assert.Equal(0, await first.StopAsync());
        }

        var database = dir.Combine("objectbox", "sync-server.db");
        var before = SHA256.HashData(File.ReadAllBytes(database));
        var badModel = dir.Combine("bad-model.json");
        File.WriteAllText(badModel, MakeInvalid(defect));

        await using var server = ServerProcess.Start(dir.Path, "--model", badModel, "--unsecured-no-authentication");

        Assert.Equal(2, await server.WaitForExitAsync());
        var errors = server.Output.Where(line => line.Contains("[ERROR]", StringComparison.Ordinal)).ToList();
        Assert.Contains(errors, line => line.Contains("bad-model.json is invalid", StringComparison.Ordinal));
        Assert.Contains(errors, line => line.Contains(expectedText, StringComparison.Ordinal));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(database)));
        Assert.False(FreePort.IsListening(server.SyncPort));
    }

    [Fact]
    public async Task An_invalid_model_on_a_new_directory_creates_no_database()
    {
        using var dir = new TempDirectory();
        var badModel = dir.Combine("bad-model.json");
        File.WriteAllText(badModel, MakeInvalid("unknown type code"));

        await using var server = ServerProcess.Start(dir.Path, "--model", badModel, "--unsecured-no-authentication");

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.False(File.Exists(dir.Combine("objectbox", "sync-server.db")));
    }

    [Fact]
    public async Task A_missing_model_file_is_named_in_the_error()
    {
        using var dir = new TempDirectory();
        await using var server = ServerProcess.Start(dir.Path, "--model", "no-such-model.json", "--unsecured-no-authentication");

        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Contains(server.Output, line => line.Contains("[ERROR]", StringComparison.Ordinal) && line.Contains("no-such-model.json", StringComparison.Ordinal));
    }

    private static string MakeInvalid(string defect)
    {
        var text = File.ReadAllText(TestPaths.ExampleModel);
        if (defect == "malformed JSON")
        {
            return text.Replace("\"entities\": [", "\"entities\": [,", StringComparison.Ordinal);
        }

        var model = JsonNode.Parse(text)!.AsObject();
        var entities = model["entities"]!.AsArray();
        var firstEntity = entities[0]!.AsObject();
        var lastProperty = firstEntity["properties"]!.AsArray()[^1]!.AsObject();
        switch (defect)
        {
            case "unknown type code":
                lastProperty["type"] = 99;
                break;
            case "duplicate UID":
                entities[1]!["id"] = $"{entities[1]!["id"]!.GetValue<string>().Split(':')[0]}:{firstEntity["id"]!.GetValue<string>().Split(':')[1]}";
                break;
            case "relation target missing":
                var relation = entities.SelectMany(e => e!["properties"]!.AsArray()).First(p => (int?)p!["type"] == 11)!;
                relation["relationTarget"] = "Nowhere";
                break;
            case "last entity ID too low":
                model["lastEntityId"] = "1:" + firstEntity["id"]!.GetValue<string>().Split(':')[1];
                break;
            case "UID used and retired":
                model["retiredPropertyUids"] = new JsonArray(ulong.Parse(lastProperty["id"]!.GetValue<string>().Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(defect), defect, null);
        }

        return model.ToJsonString();
    }
}
