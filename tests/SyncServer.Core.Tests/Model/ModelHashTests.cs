using System.Text.Json;
using System.Text.Json.Nodes;
using SyncServer.Core.Model;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Core.Tests.Model;

/// <summary>The hash follows meaning: formatting and order never change it, every semantic change does.</summary>
public class ModelHashTests
{
    private readonly JsonObject _json = ModelJson.Example();

    private static string BaseHash => ModelJson.Example().Load().Hash;

    [Fact]
    public void The_hash_is_lowercase_hex_sha256_and_the_same_on_every_call()
    {
        var model = _json.Load();

        Assert.Matches("^[0-9a-f]{64}$", model.Hash);
        Assert.Equal(model.Hash, model.Hash);
        Assert.Equal(ModelHash.Compute(model), model.Hash);
    }

    [Fact]
    public void The_hash_of_a_known_file_is_pinned_because_stored_hashes_depend_on_it()
    {
        var model = ModelJsonReader.Read(File.ReadAllBytes(TestPaths.RealModel("Hesam-mn7_ObjectBoxSync.json")));

        Assert.Equal("a47ef90dabbe98ecf411ef582274cb78afba0ac89a6533006fc58964320cb053", model.Hash);
    }

    [Fact]
    public void Compact_and_indented_json_have_the_same_hash()
    {
        var compact = ModelJsonReader.Read(_json.ToJsonString());
        var indented = ModelJsonReader.Read(_json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var original = ModelJsonReader.Read(File.ReadAllText(TestPaths.ExampleModel));

        Assert.Equal(original.Hash, compact.Hash);
        Assert.Equal(original.Hash, indented.Hash);
    }

    [Fact]
    public void Reversing_every_key_and_every_list_keeps_the_hash()
    {
        var reversed = (JsonObject)Reverse(_json)!;

        Assert.Equal(BaseHash, reversed.Load().Hash);
        Assert.Equal("Tag", reversed.Load().Entities[0].Name);
    }

    [Fact]
    public void Notes_version_and_model_version_do_not_change_the_hash()
    {
        _json["_note4"] = "added by hand";
        _json.Remove("_note1");
        _json.Entity("Task")["_comment"] = "hello";
        _json["version"] = 7;
        _json["modelVersion"] = 4;
        _json["modelVersionParserMinimum"] = 4;

        Assert.Equal(BaseHash, _json.Load().Hash);
    }

    [Fact]
    public void Empty_ids_written_as_empty_string_or_zero_zero_have_the_same_hash()
    {
        _json["lastSequenceId"] = "";
        var emptyString = _json.Load().Hash;
        _json.Remove("lastSequenceId");
        var missing = _json.Load().Hash;

        Assert.Equal(BaseHash, emptyString);
        Assert.Equal(BaseHash, missing);
    }

    [Fact]
    public void The_order_and_repetition_of_retired_uids_do_not_change_the_hash()
    {
        var first = ModelJson.Example();
        first.Retire("retiredPropertyUids", 5);
        first.Retire("retiredPropertyUids", 9);
        _json.Retire("retiredPropertyUids", 9);
        _json.Retire("retiredPropertyUids", 5);
        _json.Retire("retiredPropertyUids", 9);

        Assert.Equal(first.Load().Hash, _json.Load().Hash);
    }

    [Theory]
    [InlineData("entity flags")]
    [InlineData("entity name")]
    [InlineData("entity externalName")]
    [InlineData("property flags")]
    [InlineData("property name")]
    [InlineData("property type")]
    [InlineData("property externalType")]
    [InlineData("property index")]
    [InlineData("property hnswParams")]
    [InlineData("relationTarget")]
    [InlineData("relation name")]
    [InlineData("lastPropertyId")]
    [InlineData("lastIndexId")]
    [InlineData("lastSequenceId")]
    [InlineData("retired uid")]
    [InlineData("property added")]
    public void Every_semantic_change_changes_the_hash(string change)
    {
        switch (change)
        {
            case "entity flags": _json.Entity("Tag")["flags"] = 0; break;
            case "entity name": _json.Entity("Tag")["name"] = "Label"; break;
            case "entity externalName": _json.Entity("Tag")["externalName"] = "tags"; break;
            case "property flags": _json.Property("Task", "title")["flags"] = 4; break;
            case "property name": _json.Property("Task", "title")["name"] = "heading"; break;
            case "property type": _json.Property("Task", "title")["type"] = 6; break;
            case "property externalType": _json.Property("Task", "notes")["externalType"] = 109; break;
            case "property index": _json.AddIndex("Task", "title", PropertyFlags.Indexed); _json.Property("Task", "title")["flags"] = 0; break;
            case "property hnswParams":
                _json.Property("Task", "labels")["hnswParams"] = new JsonObject { ["dimensions"] = 3 };
                break;
            case "relationTarget": _json.Property("Task", "projectId")["relationTarget"] = "Tag"; break;
            case "relation name": _json.Relation("Task", "tags")["name"] = "labelsLink"; break;
            case "lastPropertyId": _json.Entity("Tag")["lastPropertyId"] = new IdUid(5, 77).ToString(); break;
            case "lastIndexId": _json["lastIndexId"] = new IdUid(5, 77).ToString(); break;
            case "lastSequenceId": _json["lastSequenceId"] = new IdUid(1, 77).ToString(); break;
            case "retired uid": _json.Retire("retiredEntityUids", 77); break;
            case "property added": _json.AddProperty("Tag", "color", PropertyType.Int); break;
            default: throw new ArgumentOutOfRangeException(nameof(change));
        }

        Assert.NotEqual(BaseHash, _json.Load().Hash);
    }

    [Fact]
    public void A_changed_flag_changes_the_hash_and_changing_it_back_restores_it()
    {
        _json.Property("Task", "done")["flags"] = 4;
        var changed = _json.Load().Hash;
        _json.Property("Task", "done").Remove("flags");

        Assert.NotEqual(BaseHash, changed);
        Assert.Equal(BaseHash, _json.Load().Hash);
    }

    /// <summary>A deep copy with the keys of every object and the items of every array in reverse order.</summary>
    private static JsonNode? Reverse(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Reverse().Select(member => KeyValuePair.Create(member.Key, Reverse(member.Value)))),
        JsonArray array => new JsonArray([.. array.Reverse().Select(Reverse)]),
        _ => node?.DeepClone(),
    };
}
