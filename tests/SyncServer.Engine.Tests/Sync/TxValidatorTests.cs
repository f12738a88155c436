using SyncServer.Core.Model;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Sync;
using static SyncServer.Engine.Tests.Sync.SyncTestHost;

namespace SyncServer.Engine.Tests.Sync;

public sealed class TxValidatorTests
{
    private static readonly ObjectBoxModel Model = TestModel;

    [Fact]
    public void Accepts_puts_removes_and_links_of_sync_enabled_entities()
    {
        TxValidator.Validate(
            new ClientTx(1, [Put("Task", 5, ("title", "buy milk")), Remove("Tag", 3), Link(5, 3), Link(5, 3, linked: false)]),
            Model);
    }

    [Fact]
    public void Refuses_an_entity_the_clients_schema_does_not_have()
    {
        var ex = Refuse(new ClientTx(1, [Put("Task", 5), new PutOp(99, 5, Put("Task", 5).Data)]));

        Assert.Equal(ErrorCode.UnknownSchemaElement, ex.Code);
        Assert.Equal("operation 1 (PUT): entity ID 99 is not in the client's schema version", ex.Message);
    }

    [Fact]
    public void Refuses_an_entity_without_sync_enabled()
    {
        var local = Entity("Local");
        var ex = Refuse(new ClientTx(1, [new RemoveOp(local.Id.Id, 5, 0)]));

        Assert.Equal(ErrorCode.EntityNotSynced, ex.Code);
        Assert.Equal($"operation 0 (REMOVE): entity \"Local\" (ID {local.Id.Id}) is not sync-enabled", ex.Message);
    }

    [Fact]
    public void Refuses_an_unknown_relation()
    {
        var ex = Refuse(new ClientTx(1, [new LinkOp(42, 1, 2, true)]));

        Assert.Equal(ErrorCode.UnknownSchemaElement, ex.Code);
        Assert.Equal("operation 0 (LINK): relation ID 42 is not in the client's schema version", ex.Message);
    }

    [Fact]
    public void Refuses_a_relation_whose_target_is_not_sync_enabled()
    {
        var locals = Entity("Task").Relations.Single(r => r.Name == "locals");
        var ex = Refuse(new ClientTx(1, [new LinkOp(locals.Id.Id, 1, 2, false)]));

        Assert.Equal(ErrorCode.EntityNotSynced, ex.Code);
        Assert.Equal($"operation 0 (UNLINK Task.locals): entity \"Local\" (ID {Entity("Local").Id.Id}) is not sync-enabled", ex.Message);
    }

    [Fact]
    public void Refuses_object_id_0()
    {
        var put = Refuse(new ClientTx(1, [Put("Task", 0)]));
        var link = Refuse(new ClientTx(1, [Link(0, 3)]));

        Assert.Equal(ErrorCode.InvalidObject, put.Code);
        Assert.Equal("operation 0 (PUT Task): object ID 0 is not a valid object ID", put.Message);
        Assert.Equal(ErrorCode.InvalidObject, link.Code);
        Assert.Equal("operation 0 (LINK Task.tags): source ID 0 is not a valid object ID", link.Message);
    }

    [Fact]
    public void Refuses_put_data_that_is_not_an_object()
    {
        var ex = Refuse(new ClientTx(1, [new PutOp(Entity("Task").Id.Id, 5, new byte[] { 1, 2, 3 })]));

        Assert.Equal(ErrorCode.InvalidObject, ex.Code);
        Assert.StartsWith("operation 0 (PUT Task, object 5): data is not a valid Task object: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_put_whose_id_property_disagrees_with_the_object_id()
    {
        var ex = Refuse(new ClientTx(1, [Put("Task", 5) with { ObjectId = 6 }]));

        Assert.Equal(ErrorCode.InvalidObject, ex.Code);
        Assert.Equal("operation 0 (PUT Task, object 6): the object's ID property \"id\" is 5, not the operation's object ID", ex.Message);
    }

    [Fact]
    public void Refuses_client_tx_id_0()
    {
        var ex = Refuse(new ClientTx(0, [Put("Task", 5)]));

        Assert.Equal(ErrorCode.Malformed, ex.Code);
    }

    private static ProtocolException Refuse(ClientTx tx) => Assert.Throws<ProtocolException>(() => TxValidator.Validate(tx, Model));
}
