using SyncServer.Core.Model;

namespace SyncServer.Core.Tests.Model;

/// <summary>The model files in tests/models were written by ObjectBox generators in real projects: all must load.</summary>
public class RealModelFilesTests
{
    public static TheoryData<string> ModelFiles() => [.. ModelFileNames()];

    private static IEnumerable<string> ModelFileNames() =>
        Directory.EnumerateFiles(TestPaths.ModelsDirectory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    private static ObjectBoxModel Load(string fileName) => ModelJsonReader.Read(File.ReadAllBytes(TestPaths.RealModel(fileName)));

    [Theory]
    [MemberData(nameof(ModelFiles))]
    public void Every_real_model_file_loads_without_errors(string fileName)
    {
        var model = Load(fileName);

        Assert.NotEmpty(model.Entities);
        Assert.All(model.Entities, entity => Assert.True(entity.IdProperty.IsIdProperty));
        Assert.Matches("^[0-9a-f]{64}$", model.Hash);
    }

    [Fact]
    public void The_models_folder_holds_the_five_known_files()
    {
        Assert.Equal(
            [
                "BlueBubblesApp_bluebubbles-app.json",
                "Hesam-mn7_ObjectBoxSync.json",
                "heholek_edgex-objectbox.json",
                "objectbox_objectbox-c.json",
                "sspanak_tt9.json",
            ],
            ModelFileNames());
    }

    [Fact]
    public void BlueBubbles_has_ten_entities_with_flex_string_vector_and_to_one_relations()
    {
        var model = Load("BlueBubblesApp_bluebubbles-app.json");

        Assert.Equal(10, model.Entities.Count);
        var attachment = model.FindEntity("Attachment")!;
        Assert.Equal(PropertyType.Flex, attachment.FindProperty("metadata")!.Type);
        Assert.Equal(PropertyType.StringVector, model.FindEntity("Chat")!.FindProperty("textFieldAttachments")!.Type);

        var messageId = attachment.FindProperty("messageId")!;
        Assert.Equal(PropertyType.Relation, messageId.Type);
        Assert.Equal("Message", messageId.RelationTarget);
        Assert.Equal(PropertyFlags.Indexed | PropertyFlags.IndexPartialSkipZero, messageId.Flags);
        Assert.Equal(new IdUid(8, 2010461783272999439), messageId.IndexId);

        Assert.Equal(3, model.Entities.Sum(e => e.Relations.Count));
        Assert.NotEmpty(model.Metadata.RetiredPropertyUids);
        Assert.Equal(1, model.Metadata.Version);
    }

    [Fact]
    public void Edgex_has_a_standalone_relation_unsigned_ids_and_version_zero()
    {
        var model = Load("heholek_edgex-objectbox.json");

        Assert.Equal(16, model.Entities.Count);
        var readings = Assert.Single(model.FindEntity("Event")!.Relations);
        Assert.Equal("Readings", readings.Name);
        Assert.Equal(new IdUid(2, 6583600503460504451), readings.Id);
        Assert.Equal("Reading", model.FindEntity(readings.TargetId.Id)!.Name);
        Assert.Equal(readings.TargetId, model.FindEntity("Reading")!.Id);

        Assert.Contains(model.Entities, e => e.IdProperty.Flags == (PropertyFlags.Id | PropertyFlags.Unsigned));
        Assert.Equal(0, model.Metadata.Version);
        Assert.Equal([2308887105935734223UL], model.Metadata.RetiredRelationUids);
    }

    [Fact]
    public void ObjectBox_C_has_every_scalar_type_signed_and_unsigned_and_empty_ids_written_as_empty_strings()
    {
        var model = Load("objectbox_objectbox-c.json");
        var typeful = model.FindEntity("Typeful")!;

        PropertyType[] scalars =
            [PropertyType.Bool, PropertyType.Byte, PropertyType.Short, PropertyType.Int, PropertyType.Long,
             PropertyType.Float, PropertyType.Double, PropertyType.String, PropertyType.StringVector, PropertyType.ByteVector];
        Assert.All(scalars, type => Assert.Contains(typeful.Properties, p => p.Type == type));
        Assert.Equal(PropertyFlags.Unsigned, typeful.FindProperty("uint16")!.Flags);
        Assert.Equal(PropertyType.Short, typeful.FindProperty("uint16")!.Type);
        Assert.Equal(PropertyFlags.None, typeful.FindProperty("int16")!.Flags);

        Assert.Equal(IdUid.Empty, model.Metadata.LastIndexId);
        Assert.Equal(IdUid.Empty, model.Metadata.LastSequenceId);
        Assert.All(model.Entities, e => Assert.Empty(e.Relations));
    }

    [Fact]
    public void Hesam_customer_entity_is_sync_enabled()
    {
        var model = Load("Hesam-mn7_ObjectBoxSync.json");

        var customer = Assert.Single(model.Entities);
        Assert.Equal("Customer", customer.Name);
        Assert.True(customer.IsSyncEnabled);
        Assert.False(customer.HasSharedGlobalIds);
    }

    [Fact]
    public void Tt9_has_unique_hash_index_flags_and_retired_index_uids()
    {
        var model = Load("sspanak_tt9.json");
        var word = model.FindEntity("Word")!;

        Assert.Equal(
            PropertyFlags.Unique | PropertyFlags.IndexHash | PropertyFlags.UniqueOnConflictReplace,
            word.FindProperty("uniqueId")!.Flags);
        Assert.Equal(PropertyFlags.Indexed | PropertyFlags.Unique, word.FindProperty("position")!.Flags);
        Assert.Equal([2971223841434624317UL, 2641086768976362614UL], model.Metadata.RetiredIndexUids);
        Assert.Equal(3, model.Metadata.RetiredPropertyUids.Count);
    }

    [Fact]
    public void The_real_files_all_have_different_hashes()
    {
        var hashes = ModelFileNames().Select(name => Load(name).Hash).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct(StringComparer.Ordinal).Count());
    }
}
