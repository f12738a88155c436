using System.Text;
using System.Text.Json.Nodes;
using SyncServer.Core.Model;
using SyncServer.Tests.TestSupport;

namespace SyncServer.Core.Tests.Model;

/// <summary>The variants the generators write, all of which must read to the same kind of model.</summary>
public class ModelJsonReaderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("0:0")]
    public void Empty_ids_written_either_way_read_as_empty(string empty)
    {
        var json = ModelJson.Example();
        json["lastSequenceId"] = empty;
        json.Property("Task", "title")["indexId"] = empty;

        var model = json.Load();

        Assert.Equal(IdUid.Empty, model.Metadata.LastSequenceId);
        Assert.Equal(IdUid.Empty, model.FindEntity("Task")!.FindProperty("title")!.IndexId);
    }

    [Fact]
    public void A_property_without_a_type_is_accepted_as_unknown()
    {
        var json = ModelJson.Example();
        json.Property("Task", "notes").Remove("type");

        var notes = json.Load().FindEntity("Task")!.FindProperty("notes")!;

        Assert.Equal(PropertyType.Unknown, notes.Type);
    }

    [Fact]
    public void Model_version_4_without_notes_last_sequence_id_or_relations_loads()
    {
        var json = ModelJson.Example();
        json["modelVersion"] = 4;
        json["modelVersionParserMinimum"] = 4;
        json["version"] = 0;
        json.Remove("lastSequenceId");
        json.Remove("_note1");
        json.Remove("_note2");
        json.Remove("_note3");
        json.Entity("Project").Remove("relations");

        var model = json.Load();

        Assert.Equal(4, model.Metadata.ModelVersion);
        Assert.Equal(4, model.Metadata.ModelVersionParserMinimum);
        Assert.Equal(0, model.Metadata.Version);
        Assert.Equal(IdUid.Empty, model.Metadata.LastSequenceId);
        Assert.Empty(model.FindEntity("Project")!.Relations);
    }

    [Fact]
    public void Unknown_keys_underscore_keys_and_unknown_flag_bits_are_ignored()
    {
        var json = ModelJson.Example();
        json["futureKey"] = new JsonObject { ["x"] = 1 };
        json.Entity("Task")["_noteEntity"] = "hello";
        json.Property("Task", "title")["somethingNew"] = new JsonArray(1, 2);
        json.Property("Task", "title")["flags"] = 1u << 30;
        json.Entity("Tag")["flags"] = 2 | (1 << 20);

        var model = json.Load();

        Assert.Equal((PropertyFlags)(1u << 30), model.FindEntity("Task")!.FindProperty("title")!.Flags);
        Assert.True(model.FindEntity("Tag")!.IsSyncEnabled);
    }

    [Fact]
    public void External_name_and_type_are_read()
    {
        var json = ModelJson.Example();
        json.Entity("Task")["externalName"] = "tasks";
        json.Property("Task", "notes")["externalName"] = "notes_json";
        json.Property("Task", "notes")["externalType"] = 109;
        json.Relation("Task", "tags")["externalName"] = "task_tags";
        json.Relation("Task", "tags")["externalType"] = 123;

        var task = json.Load().FindEntity("Task")!;

        Assert.Equal("tasks", task.ExternalName);
        Assert.Equal("notes_json", task.FindProperty("notes")!.ExternalName);
        Assert.Equal(109, task.FindProperty("notes")!.ExternalType);
        Assert.Equal("task_tags", task.Relations[0].ExternalName);
        Assert.Equal(123, task.Relations[0].ExternalType);
    }

    [Fact]
    public void Hnsw_params_are_read_in_the_dart_spelling()
    {
        var json = ModelJson.Example();
        var embedding = json.AddProperty("Task", "embedding", PropertyType.FloatVector);
        json.AddIndex("Task", "embedding", 0);
        embedding["hnswParams"] = new JsonObject
        {
            ["dimensions"] = 384,
            ["neighborsPerNode"] = 30,
            ["indexingSearchCount"] = 100,
            ["flags"] = 1,
            ["distanceType"] = 2,
            ["reparationBacklinkProbability"] = 0.95,
            ["vectorCacheHintSizeKB"] = 2097152,
        };

        var hnsw = json.Load().FindEntity("Task")!.FindProperty("embedding")!.Hnsw;

        Assert.Equal(
            new HnswParams
            {
                Dimensions = 384,
                NeighborsPerNode = 30,
                IndexingSearchCount = 100,
                Flags = 1,
                DistanceType = "2",
                ReparationBacklinkProbability = 0.95f,
                VectorCacheHintSizeKb = 2097152,
            },
            hnsw);
    }

    [Fact]
    public void Hnsw_params_are_read_in_the_go_generator_spelling()
    {
        var json = ModelJson.Example();
        var embedding = json.AddProperty("Task", "embedding", PropertyType.FloatVector);
        embedding["hnswParams"] = new JsonObject
        {
            ["dimensions"] = 2,
            ["distance-type"] = "Geo",
            ["neighbors-per-node"] = 16,
            ["vector-cache-hint-size-kb"] = 1024,
        };

        var hnsw = json.Load().FindEntity("Task")!.FindProperty("embedding")!.Hnsw!;

        Assert.Equal(2UL, hnsw.Dimensions);
        Assert.Equal("Geo", hnsw.DistanceType);
        Assert.Equal(16u, hnsw.NeighborsPerNode);
        Assert.Equal(1024UL, hnsw.VectorCacheHintSizeKb);
        Assert.Null(hnsw.IndexingSearchCount);
    }

    [Fact]
    public void Utf8_bytes_with_a_byte_order_mark_read_like_the_string()
    {
        var text = File.ReadAllText(TestPaths.ExampleModel);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();

        var fromBytes = ModelJsonReader.Read(bytes);
        var fromString = ModelJsonReader.Read(text);

        Assert.Equal(fromString.Hash, fromBytes.Hash);
        Assert.Equal(3, fromBytes.Entities.Count);
    }

    [Fact]
    public void Metadata_lists_and_last_ids_are_read()
    {
        var json = ModelJson.Example();
        json.Retire("retiredEntityUids", 11);
        json.Retire("retiredPropertyUids", 12);
        json.Retire("retiredIndexUids", 13);
        json.Retire("retiredRelationUids", 14);
        json["lastSequenceId"] = "2:99";

        var metadata = json.Load().Metadata;

        Assert.Equal([11UL], metadata.RetiredEntityUids);
        Assert.Equal([12UL], metadata.RetiredPropertyUids);
        Assert.Equal([13UL], metadata.RetiredIndexUids);
        Assert.Equal([14UL], metadata.RetiredRelationUids);
        Assert.Equal(new IdUid(2, 99), metadata.LastSequenceId);
        Assert.Equal(new IdUid(2, json.IdOf("lastIndexId").Uid), metadata.LastIndexId);
        Assert.Equal(1, metadata.Version);
    }
}
