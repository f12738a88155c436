using System.Text.Json.Nodes;
using SyncServer.Core.Model;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Core.Tests.Model;

/// <summary>
/// One test per kind of broken model file: each checks that the error names where (entity, property, key) and what.
/// The base is examples/objectbox-model.json: entities[0] "Project", entities[1] "Task", entities[2] "Tag".
/// </summary>
public class ModelValidationTests
{
    private const string Task = "entities[1] \"Task\"";
    private const string TaskTitle = "entities[1] \"Task\" property \"title\" (ID 2)";
    private const string TaskTags = "entities[1] \"Task\" relation \"tags\" (ID 1)";

    private readonly JsonObject _json = ModelJson.Example();

    private string Single() => Assert.Single(_json.Errors()).ToString();

    // --- JSON syntax ---

    [Fact]
    public void Malformed_json_is_one_error_with_one_based_line_and_column()
    {
        var error = Assert.Single(Assert.Throws<ModelException>(() => ModelJsonReader.Read("{\n  \"entities\": [],\n}")).Errors);

        Assert.Equal("line 3, column 1", error.Location);
        Assert.StartsWith("not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("trailing comma", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_reports_where_it_ends()
    {
        var text = File.ReadAllText(TestPaths.ExampleModel);
        var cut = text[..text.IndexOf("\"Task\"", StringComparison.Ordinal)];
        var expectedLine = cut.Count(c => c == '\n') + 1;

        var error = Assert.Single(Assert.Throws<ModelException>(() => ModelJsonReader.Read(cut)).Errors);

        Assert.Equal($"line {expectedLine}, column {cut.Length - cut.LastIndexOf('\n')}", error.Location);
    }

    [Fact]
    public void Comments_are_not_json_and_are_refused()
    {
        var error = Assert.Single(Assert.Throws<ModelException>(() => ModelJsonReader.Read("{\n  // note\n  \"entities\": []\n}")).Errors);

        Assert.Equal("line 2, column 3", error.Location);
    }

    [Fact]
    public void A_file_that_is_not_a_json_object_is_refused()
    {
        var error = Assert.Single(Assert.Throws<ModelException>(() => ModelJsonReader.Read("[]")).Errors);

        Assert.Equal("model: the file must hold a JSON object, got an array", error.ToString());
    }

    [Fact]
    public void A_key_written_twice_in_one_object_is_an_error()
    {
        var text = File.ReadAllText(TestPaths.ExampleModel)
            .Replace("\"name\": \"Project\",", "\"name\": \"Project\", \"name\": \"Folder\",", StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<ModelException>(() => ModelJsonReader.Read(text)).Errors);

        Assert.Equal("entities[0] \"Project\": \"name\" appears twice in the same object; which one is meant is ambiguous", error.ToString());
    }

    // --- JSON kinds and formats ---

    [Fact]
    public void A_type_that_is_not_a_number_names_the_property()
    {
        _json.Property("Task", "title")["type"] = "abc";

        Assert.Equal($"{TaskTitle}: \"type\" must be a whole number from 0 to 4294967295, got string \"abc\"", Single());
    }

    [Fact]
    public void Entities_that_are_not_an_array_are_refused()
    {
        _json["entities"] = new JsonObject();

        Assert.Equal("entities: must be an array, got an object", Single());
    }

    [Fact]
    public void Negative_flags_are_refused()
    {
        _json.Entity("Project")["flags"] = -1;

        Assert.Equal("entities[0] \"Project\": \"flags\" must be a whole number from 0 to 4294967295, got number -1", Single());
    }

    [Fact]
    public void A_name_that_is_not_a_string_is_located_by_index_and_id()
    {
        _json.Property("Task", "title")["name"] = 5;

        Assert.Equal($"{Task} properties[1] (ID 2): \"name\" must be a string, got number 5", Single());
    }

    [Fact]
    public void A_retired_uid_that_is_not_a_number_names_the_list_and_item()
    {
        _json.Retire("retiredPropertyUids", 7);
        _json["retiredPropertyUids"]!.AsArray().Add("x");

        Assert.Equal(
            "retiredPropertyUids: item 1 must be a UID (a whole number from 0 to 18446744073709551615), got string \"x\"",
            Single());
    }

    [Theory]
    [InlineData("2-123")]
    [InlineData("2:")]
    [InlineData(":123")]
    [InlineData("2:-5")]
    [InlineData("2:123:4")]
    [InlineData("x:1")]
    public void A_malformed_id_uid_string_is_refused(string text)
    {
        _json.Entity("Task")["id"] = text;

        Assert.Equal($"{Task}: \"id\" is not a valid \"ID:UID\": \"{text}\"", Single());
    }

    [Fact]
    public void A_last_id_that_is_a_number_is_refused()
    {
        _json["lastEntityId"] = 3;

        // Read as empty after the error, so the last-ID check also speaks up.
        Assert.Contains("lastEntityId: must be an \"ID:UID\" string, got number 3", _json.ErrorLines());
    }

    [Fact]
    public void Relations_that_are_not_an_array_are_refused()
    {
        _json.Entity("Project")["relations"] = "none";

        Assert.Equal("entities[0] \"Project\": \"relations\" must be an array, got string \"none\"", Single());
    }

    [Fact]
    public void Hnsw_params_without_dimensions_are_refused()
    {
        _json.Property("Task", "labels")["hnswParams"] = new JsonObject { ["distanceType"] = 2 };

        Assert.Equal($"{Task} property \"labels\" (ID 8) hnswParams: \"dimensions\" is missing", Single());
    }

    // --- required keys ---

    [Fact]
    public void An_entity_without_id_is_refused()
    {
        _json.Entity("Task").Remove("id");

        Assert.Equal($"{Task}: \"id\" is missing", Single());
    }

    [Fact]
    public void An_entity_without_name_is_located_by_index()
    {
        _json.Entity("Tag").Remove("name");

        Assert.Equal("entities[2]: \"name\" is missing", Single());
    }

    [Fact]
    public void An_entity_without_properties_is_refused()
    {
        _json.Entity("Project").Remove("properties");

        var errors = _json.ErrorLines();

        Assert.Contains("entities[0] \"Project\": \"properties\" is missing", errors);
        Assert.Contains(errors, e => e.Contains("has no ID property", StringComparison.Ordinal));
    }

    [Fact]
    public void A_property_without_id_is_refused()
    {
        _json.Property("Task", "title").Remove("id");

        Assert.Equal($"{Task} property \"title\": \"id\" is missing", Single());
    }

    [Fact]
    public void A_property_without_name_is_located_by_index_and_id()
    {
        _json.Property("Task", "title").Remove("name");

        Assert.Equal($"{Task} properties[1] (ID 2): \"name\" is missing", Single());
    }

    [Fact]
    public void A_null_name_counts_as_missing_and_says_so()
    {
        _json.Property("Task", "title")["name"] = null;

        Assert.Equal($"{Task} properties[1] (ID 2): \"name\" is null but required", Single());
    }

    [Fact]
    public void A_relation_without_target_is_refused()
    {
        _json.Relation("Task", "tags").Remove("targetId");

        Assert.Equal($"{TaskTags}: \"targetId\" is missing", Single());
    }

    [Fact]
    public void A_model_without_entities_is_refused()
    {
        _json.Remove("entities");

        Assert.Contains("entities: is missing", _json.ErrorLines());
    }

    // --- property types and the ID property ---

    [Theory]
    [InlineData(0)]
    [InlineData(14)]
    [InlineData(21)]
    [InlineData(33)]
    [InlineData(99)]
    [InlineData(256)]
    public void An_unknown_property_type_code_is_refused(int code)
    {
        _json.Property("Task", "title")["type"] = code;

        Assert.Equal($"{TaskTitle}: unknown property type {code}", Single());
    }

    [Fact]
    public void An_entity_without_an_id_property_is_refused()
    {
        _json.Property("Task", "id")["flags"] = 0;

        Assert.Equal($"{Task}: has no ID property (a property with flag ID = 1); exactly one is required", Single());
    }

    [Fact]
    public void An_entity_with_two_id_properties_is_refused()
    {
        _json.Property("Task", "title")["flags"] = 1;

        Assert.Equal($"{Task}: has 2 ID properties (\"id\", \"title\"); exactly one is allowed", Single());
    }

    // --- duplicates ---

    [Fact]
    public void A_duplicate_entity_id_names_both_entities()
    {
        _json.Entity("Project").SetId("id", 2, _json.Entity("Project").UidOf());

        Assert.Equal($"{Task}: duplicate entity ID 2, also used by entities[0] \"Project\"", Single());
    }

    [Fact]
    public void A_duplicate_entity_uid_names_both_entities()
    {
        var tagUid = _json.Entity("Tag").UidOf();
        _json.Entity("Project").SetId("id", 1, tagUid);

        Assert.Equal(
            $"entities[2] \"Tag\": entity UID {tagUid} is already used by entities[0] \"Project\"; UIDs must be unique in the whole model",
            Single());
    }

    [Fact]
    public void A_duplicate_entity_name_is_refused()
    {
        _json.Entity("Tag")["name"] = "Project";

        Assert.Equal("entities[2] \"Project\": duplicate entity name \"Project\", also used by entities[0] \"Project\"", Single());
    }

    [Fact]
    public void A_duplicate_property_id_within_an_entity_is_refused()
    {
        _json.Property("Task", "notes").SetId("id", 2, _json.Property("Task", "notes").UidOf());

        Assert.Equal(
            $"{Task} property \"notes\" (ID 2): duplicate property ID 2 in entity \"Task\", also used by {TaskTitle}",
            Single());
    }

    [Fact]
    public void The_same_property_id_in_different_entities_is_fine()
    {
        Assert.Equal(2u, _json.Load().FindEntity("Project")!.FindProperty("name")!.Id.Id);
        Assert.Equal(2u, _json.Load().FindEntity("Task")!.FindProperty("title")!.Id.Id);
    }

    [Fact]
    public void A_duplicate_property_name_within_an_entity_is_refused()
    {
        _json.Property("Task", "notes")["name"] = "title";

        Assert.Equal(
            $"{Task} property \"title\" (ID 3): duplicate property name \"title\" in entity \"Task\", also used by {TaskTitle}",
            Single());
    }

    [Fact]
    public void A_property_reusing_an_entity_uid_is_refused()
    {
        var projectUid = _json.Entity("Project").UidOf();
        _json.Property("Task", "notes").SetId("id", 3, projectUid);

        Assert.Equal(
            $"{Task} property \"notes\" (ID 3): property UID {projectUid} is already used by entities[0] \"Project\"; UIDs must be unique in the whole model",
            Single());
    }

    [Fact]
    public void An_index_reusing_a_relation_uid_is_refused()
    {
        var relationUid = _json.Relation("Task", "tags").UidOf();
        _json.Property("Tag", "name").SetId("indexId", 2, relationUid);
        _json["lastIndexId"] = new IdUid(2, relationUid).ToString();

        Assert.Equal(
            $"entities[2] \"Tag\" property \"name\" (ID 2): index UID {relationUid} is already used by {TaskTags}; UIDs must be unique in the whole model",
            Single());
    }

    [Fact]
    public void A_duplicate_index_id_across_entities_is_refused()
    {
        _json.Property("Tag", "name").SetId("indexId", 1, ModelJson.NewUid());

        Assert.Equal(
            $"entities[2] \"Tag\" property \"name\" (ID 2): duplicate index ID 1, also used by {Task} property \"projectId\" (ID 7)",
            Single());
    }

    [Fact]
    public void A_duplicate_relation_id_across_entities_is_refused()
    {
        _json.Entity("Project")["relations"]!.AsArray().Add(new JsonObject
        {
            ["id"] = new IdUid(1, ModelJson.NewUid()).ToString(),
            ["name"] = "favorites",
            ["targetId"] = _json.Entity("Task")["id"]!.GetValue<string>(),
        });

        Assert.Equal(
            $"{TaskTags}: duplicate relation ID 1, also used by entities[0] \"Project\" relation \"favorites\" (ID 1)",
            Single());
    }

    // --- zero IDs ---

    [Fact]
    public void An_entity_id_of_zero_is_refused()
    {
        var uid = _json.Entity("Task").UidOf();
        _json.Entity("Task").SetId("id", 0, uid);

        Assert.Equal($"{Task}: \"id\" \"0:{uid}\" has ID 0; IDs start at 1", Single());
    }

    [Theory]
    [InlineData("0:0")]
    [InlineData("")]
    public void An_empty_property_id_is_refused(string empty)
    {
        _json.Property("Task", "notes")["id"] = empty;

        Assert.Equal($"{Task} property \"notes\": \"id\" is empty (\"0:0\"); a non-zero ID and UID are required", Single());
    }

    [Fact]
    public void A_relation_uid_of_zero_is_refused()
    {
        _json.Relation("Task", "tags")["id"] = "1:0";

        Assert.Equal($"{TaskTags}: \"id\" \"1:0\" has UID 0; UIDs must not be 0", Single());
    }

    // --- relation targets ---

    [Fact]
    public void A_to_one_relation_without_relation_target_is_refused()
    {
        _json.Property("Task", "projectId").Remove("relationTarget");

        Assert.Equal(
            $"{Task} property \"projectId\" (ID 7): is a relation (type 11) but has no relationTarget naming the target entity",
            Single());
    }

    [Fact]
    public void A_to_one_relation_to_an_unknown_entity_is_refused()
    {
        _json.Property("Task", "projectId")["relationTarget"] = "Folder";

        Assert.Equal($"{Task} property \"projectId\" (ID 7): relationTarget \"Folder\" names no entity of this model", Single());
    }

    [Fact]
    public void A_standalone_relation_to_an_unknown_entity_id_is_refused()
    {
        var tagUid = _json.Entity("Tag").UidOf();
        _json.Relation("Task", "tags").SetId("targetId", 9, tagUid);

        Assert.Equal($"{TaskTags}: targetId 9:{tagUid} matches no entity (no entity has ID 9)", Single());
    }

    [Fact]
    public void A_standalone_relation_whose_target_uid_differs_is_refused()
    {
        var projectUid = _json.Entity("Project").UidOf();
        var tagUid = _json.Entity("Tag").UidOf();
        _json.Relation("Task", "tags").SetId("targetId", 3, projectUid);

        Assert.Equal(
            $"{TaskTags}: targetId 3:{projectUid} does not match entity \"Tag\" (3:{tagUid}): the UIDs differ",
            Single());
    }

    // --- last IDs ---

    [Fact]
    public void A_last_entity_id_below_an_entity_id_is_refused()
    {
        _json["lastEntityId"] = _json.Entity("Task")["id"]!.GetValue<string>();

        Assert.Equal(
            $"model: lastEntityId {_json.Entity("Task").IdOf()} is lower than entity ID 3 of entities[2] \"Tag\"",
            Single());
    }

    [Fact]
    public void A_last_index_id_below_an_index_id_is_refused()
    {
        _json["lastIndexId"] = _json.Property("Task", "projectId")["indexId"]!.GetValue<string>();

        Assert.Equal(
            $"model: lastIndexId {_json.Property("Task", "projectId").IdOf("indexId")} is lower than index ID 2 of entities[2] \"Tag\" property \"name\" (ID 2)",
            Single());
    }

    [Fact]
    public void A_missing_last_relation_id_is_below_the_relation_id()
    {
        _json.Remove("lastRelationId");

        Assert.Equal($"model: lastRelationId 0:0 is lower than relation ID 1 of {TaskTags}", Single());
    }

    [Fact]
    public void A_last_property_id_below_a_property_id_is_refused()
    {
        _json.Entity("Task")["lastPropertyId"] = _json.Property("Task", "projectId")["id"]!.GetValue<string>();

        Assert.Equal(
            $"{Task}: lastPropertyId {_json.Property("Task", "projectId").IdOf()} is lower than property ID 8 of {Task} property \"labels\" (ID 8)",
            Single());
    }

    // --- retired UIDs ---

    [Theory]
    [InlineData("retiredEntityUids", "entity", "Task", null)]
    [InlineData("retiredPropertyUids", "property", "Task", "title")]
    [InlineData("retiredRelationUids", "relation", "Task", "tags")]
    [InlineData("retiredIndexUids", "index", "Tag", "name")]
    [InlineData("retiredEntityUids", "property", "Task", "title")]
    public void A_uid_in_use_and_retired_is_refused(string list, string kind, string entity, string? member)
    {
        var (uid, location) = kind switch
        {
            "entity" => (_json.Entity(entity).UidOf(), Task),
            "property" => (_json.Property(entity, member!).UidOf(), TaskTitle),
            "relation" => (_json.Relation(entity, member!).UidOf(), TaskTags),
            _ => (_json.Property(entity, member!).UidOf("indexId"), "entities[2] \"Tag\" property \"name\" (ID 2)"),
        };
        _json.Retire(list, uid);

        Assert.Equal($"{location}: {kind} UID {uid} is in use but listed in {list}; a retired UID must never be used again", Single());
    }

    // --- format version ---

    [Fact]
    public void A_file_that_needs_a_newer_reader_is_refused_and_says_so()
    {
        _json["modelVersion"] = 6;
        _json["modelVersionParserMinimum"] = 6;
        _json.Property("Task", "title")["type"] = 99;

        Assert.Equal(
            "modelVersionParserMinimum: the file needs a reader for model version 6 or newer; this server reads model versions up to 5. Update the server to use this model.",
            Single());
    }

    [Fact]
    public void A_newer_model_version_that_older_readers_may_read_is_accepted()
    {
        _json["modelVersion"] = 6;

        Assert.Equal(6, _json.Load().Metadata.ModelVersion);
    }

    // --- reporting ---

    [Fact]
    public void All_problems_are_reported_together_one_per_line()
    {
        _json.Property("Task", "title")["type"] = 99;
        _json.Entity("Tag")["name"] = "Project";
        _json.Remove("lastRelationId");

        var exception = Assert.Throws<ModelException>(() => _json.Load());

        Assert.Equal(
            [
                $"{TaskTitle}: unknown property type 99",
                "entities[2] \"Project\": duplicate entity name \"Project\", also used by entities[0] \"Project\"",
                $"model: lastRelationId 0:0 is lower than relation ID 1 of {TaskTags}",
            ],
            exception.Errors.Select(e => e.ToString()));
        Assert.Equal(string.Join('\n', exception.Errors), exception.Message);
    }
}
