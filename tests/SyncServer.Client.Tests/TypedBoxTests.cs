using SyncServer.Client.Tests.Infrastructure;

namespace SyncServer.Client.Tests;

public sealed class TypedBoxTests
{
    [SyncEntity("Task")]
    public sealed class TaskItem
    {
        public long Id { get; set; }
        public string? Title { get; set; }
        public bool Done { get; set; }
        public ulong ProjectId { get; set; }
        public Priority Priority { get; set; }
        public string NotInTheModel { get; set; } = "ignored";
    }

    public enum Priority
    {
        Low,
        High = 7,
    }

    public sealed class Project
    {
        public ulong Id { get; set; }
        public string Name { get; set; } = "";
        public DateTime? CreatedAt { get; set; }
    }

    public sealed class Tag
    {
        public string? Name { get; set; }
    }

    [Fact]
    public async Task Put_sets_the_id_and_get_maps_properties_back_by_name_ignoring_case()
    {
        using var dir = new TempDirectory();
        await using var client = new SyncClient(TestModels.Options(dir.Path));
        var created = new DateTime(2026, 11, 26, 8, 30, 15, 123, DateTimeKind.Utc);
        var project = new Project { Name = "Home", CreatedAt = created };
        client.Box<Project>().Put(project);
        var task = new TaskItem { Title = "Buy milk", Done = true, ProjectId = project.Id, Priority = Priority.High };

        var id = client.Box<TaskItem>().Put(task);

        Assert.Equal((long)id, task.Id);
        var loaded = client.Box<TaskItem>().Get(id)!;
        Assert.Equal(("Buy milk", true, project.Id, Priority.High), (loaded.Title, loaded.Done, loaded.ProjectId, loaded.Priority));
        Assert.Equal(created, client.Box<Project>().Get(project.Id)!.CreatedAt);
        var raw = client.Box("Task").Get(id)!;
        Assert.Equal(7, raw["priority"]);
        Assert.Equal(created.Subtract(DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond, client.Box("Project").Get(project.Id)!["createdAt"]);
    }

    [Fact]
    public async Task Updating_removing_and_querying_typed_objects()
    {
        using var dir = new TempDirectory();
        await using var client = new SyncClient(TestModels.Options(dir.Path));
        var box = client.Box<TaskItem>();
        var a = new TaskItem { Title = "a" };
        var b = new TaskItem { Title = "b", Done = true };
        box.Put(a);
        box.Put(b);
        a.Title = "a2";
        box.Put(a);

        Assert.Equal(["a2", "b"], box.GetAll().Select(t => t.Title));
        Assert.Equal("b", Assert.Single(box.Query(t => t.Done)).Title);
        Assert.True(box.Remove(b));
        Assert.Equal(1, box.Count());
        Assert.Null(box.Get((ulong)b.Id));
    }

    [Fact]
    public async Task A_class_without_the_id_property_is_refused_naming_it()
    {
        using var dir = new TempDirectory();
        await using var client = new SyncClient(TestModels.Options(dir.Path));
        var e = Assert.Throws<InvalidOperationException>(() => client.Box<Tag>());
        Assert.Contains("\"id\"", e.Message, StringComparison.Ordinal);
    }
}
