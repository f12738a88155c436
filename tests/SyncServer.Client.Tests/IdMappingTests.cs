using SyncServer.Client.Ids;
using SyncServer.Client.Store;
using SyncServer.Client.Tests.Infrastructure;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;
using SyncServer.Core.Protocol;

namespace SyncServer.Client.Tests;

/// <summary>docs/ids.md: local IDs for the app, global IDs on the wire, translated both ways.</summary>
public sealed class IdMappingTests : IDisposable
{
    private const uint Number = 5;
    private const ulong High = (ulong)Number << 40;
    private readonly TempDirectory _dir = new();
    private readonly ClientModel _model = new(ModelJsonReader.Read(TestModels.Json));
    private readonly LocalStore _store;
    private readonly IdTranslator _ids;

    public IdMappingTests()
    {
        _store = new LocalStore(_dir.Path);
        _ids = new IdTranslator(_model, _store) { ClientNumber = Number };
        _store.Begin();
    }

    private EntityInfo Task => _model.FindEntity(TestModels.TaskId)!;
    private EntityInfo Project => _model.FindEntity(TestModels.ProjectId)!;
    private EntityInfo Device => _model.FindEntity(TestModels.DeviceId)!;

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void An_object_created_here_gets_its_client_number_in_the_high_24_bits_when_first_sent()
    {
        Assert.Equal(High | 7, _ids.ToGlobal(Task, 7));
        Assert.Equal(High | 7, _store.FindGlobal(TestModels.TaskId, 7));
        Assert.Equal(7UL, _ids.ToLocal(Task, High | 7));
    }

    [Fact]
    public void A_foreign_global_id_gets_the_next_local_id_and_keeps_it()
    {
        _store.NextLocalId(TestModels.TaskId); // local 1 is taken by an object made here
        var foreign = (9UL << 40) | 1;

        Assert.Equal(2UL, _ids.ToLocal(Task, foreign));
        Assert.Equal(2UL, _ids.ToLocal(Task, foreign));
        Assert.Equal(foreign, _ids.ToGlobal(Task, 2));
        Assert.Equal(1UL, _ids.ToLocal(Project, foreign)); // each entity is its own ID space
    }

    [Fact]
    public void Unknown_ids_are_not_mapped_by_a_lookup_and_zero_stays_zero()
    {
        Assert.Null(_ids.TryToLocal(Task, (9UL << 40) | 3));
        Assert.Equal(0, _store.CountMappings());
        Assert.Equal(0UL, _ids.ToGlobal(Task, 0));
        Assert.Equal(0UL, _ids.ToLocal(Task, 0));
    }

    [Fact]
    public void Without_a_client_number_nothing_created_here_can_get_a_global_id()
    {
        _ids.ClientNumber = 0;
        Assert.Throws<InvalidOperationException>(() => _ids.ToGlobal(Task, 1));
    }

    [Fact]
    public void Shared_global_id_entities_are_not_mapped()
    {
        Assert.Equal(123456789UL, _ids.ToGlobal(Device, 123456789));
        Assert.Equal(ulong.MaxValue, _ids.ToLocal(Device, ulong.MaxValue));
        Assert.Equal(0, _store.CountMappings());
    }

    [Fact]
    public void A_put_translates_its_object_id_id_property_and_toone_both_ways()
    {
        var foreignProject = (9UL << 40) | 4;
        var projectLocal = _ids.ToLocal(Project, foreignProject);
        var data = ObjectCodec.Encode(Task.Entity, new Dictionary<uint, object?> { [1] = 3UL, [2] = "t", [4] = projectLocal });

        var wire = Assert.IsType<PutOp>(_ids.ToWire(new PutOp(TestModels.TaskId, 3, data)));
        var sent = ObjectCodec.Decode(Task.Entity, wire.Data.Span);
        Assert.Equal(High | 3, wire.ObjectId);
        Assert.Equal(High | 3, ClientModel.AsId(sent[1]));
        Assert.Equal(foreignProject, ClientModel.AsId(sent[4]));
        Assert.Equal("t", sent[2]);

        var back = ObjectCodec.Decode(Task.Entity, _ids.TranslateData(Task, wire.Data.Span, 3, outgoing: false));
        Assert.Equal(3UL, ClientModel.AsId(back[1]));
        Assert.Equal(projectLocal, ClientModel.AsId(back[4]));
    }

    [Fact]
    public void An_incoming_toone_to_an_object_not_seen_yet_reserves_the_local_id_it_will_have()
    {
        var foreignProject = (9UL << 40) | 77;
        var data = ObjectCodec.Encode(Task.Entity, new Dictionary<uint, object?> { [1] = (9UL << 40) | 1, [4] = foreignProject });

        var local = ObjectCodec.Decode(Task.Entity, _ids.TranslateData(Task, data, 1, outgoing: false));

        var projectLocal = ClientModel.AsId(local[4]);
        Assert.NotEqual(0UL, projectLocal);
        Assert.Equal(projectLocal, _ids.ToLocal(Project, foreignProject));
    }

    [Fact]
    public void A_zero_toone_stays_zero()
    {
        var values = new Dictionary<uint, object?> { [1] = 1UL, [4] = 0UL };
        _ids.TranslateValues(Task, values, High | 1, outgoing: true);
        Assert.Equal(0UL, ClientModel.AsId(values[4]));
    }

    [Fact]
    public void Link_ends_and_removes_are_translated_in_their_entities_id_spaces()
    {
        var foreignTag = (9UL << 40) | 2;
        var tagLocal = _ids.ToLocal(_model.FindEntity(TestModels.TagId)!, foreignTag);

        var link = Assert.IsType<LinkOp>(_ids.ToWire(new LinkOp(TestModels.TagsRelationId, 4, tagLocal, Linked: true)));
        var remove = Assert.IsType<RemoveOp>(_ids.ToWire(new RemoveOp(TestModels.TaskId, 4, 99)));

        Assert.Equal((High | 4, foreignTag, true), (link.SourceId, link.TargetId, link.Linked));
        Assert.Equal((High | 4, 99UL), (remove.ObjectId, remove.Clock));
    }

    [Fact]
    public async Task The_client_refuses_a_shared_global_id_put_without_an_id()
    {
        using var dir = new TempDirectory();
        await using var client = new SyncClient(TestModels.Options(dir.Path));
        var devices = client.Box("Device");

        Assert.Throws<ArgumentException>(() => devices.Put(new Dictionary<string, object?> { ["name"] = "phone" }));
        var big = 0xFEDC_BA98_7654_3210UL;
        Assert.Equal(big, devices.Put(new Dictionary<string, object?> { ["id"] = big, ["name"] = "phone" }));
        Assert.Equal("phone", devices.Get(big)!["name"]);
    }
}
