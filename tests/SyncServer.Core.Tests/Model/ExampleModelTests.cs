using SyncServer.Core.Model;

namespace SyncServer.Core.Tests.Model;

/// <summary>examples/objectbox-model.json is what a newcomer copies; it must load and say what the docs say it says.</summary>
public class ExampleModelTests
{
    private readonly ObjectBoxModel _model = ModelJsonReader.Read(File.ReadAllBytes(TestPaths.ExampleModel));

    [Fact]
    public void The_example_has_three_sync_enabled_entities()
    {
        Assert.Equal(["Project", "Task", "Tag"], _model.Entities.Select(e => e.Name));
        Assert.All(_model.Entities, e => Assert.Equal(EntityFlags.SyncEnabled, e.Flags));
        Assert.Equal(5, _model.Metadata.ModelVersion);
        Assert.Equal(_model.FindEntity("Tag")!.Id, _model.Metadata.LastEntityId);
    }

    [Fact]
    public void Task_links_to_its_project_and_to_its_tags()
    {
        var task = _model.FindEntity("Task")!;

        var projectId = task.FindProperty("projectId")!;
        Assert.Equal(PropertyType.Relation, projectId.Type);
        Assert.Equal("Project", projectId.RelationTarget);
        Assert.Equal(PropertyFlags.Indexed | PropertyFlags.IndexPartialSkipZero, projectId.Flags);
        Assert.Equal(1u, projectId.IndexId.Id);

        var tags = Assert.Single(task.Relations);
        Assert.Equal("tags", tags.Name);
        Assert.Equal(_model.FindEntity("Tag")!.Id, tags.TargetId);
        Assert.Equal(tags.Id, _model.Metadata.LastRelationId);

        Assert.Equal(PropertyType.StringVector, task.FindProperty("labels")!.Type);
        Assert.Equal(task.FindProperty("labels")!.Id, task.LastPropertyId);
    }

    [Fact]
    public void Tag_names_are_unique_with_a_hash_index()
    {
        var name = _model.FindEntity("Tag")!.FindProperty("name")!;

        Assert.Equal(PropertyFlags.Unique | PropertyFlags.IndexHash, name.Flags);
        Assert.Equal(name.IndexId, _model.Metadata.LastIndexId);
    }
}
