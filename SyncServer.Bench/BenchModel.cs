using System.Buffers.Binary;
using SyncServer.Core.Model;
using SyncServer.Core.Objects;

namespace SyncServer.Bench;

/// <summary>
/// The benchmark's data model: one sync-enabled entity <c>BenchItem</c> (id, sentAt, payload) whose encoded objects are
/// 100 bytes, the size the targets speak of. <c>sentAt</c> carries the writer's send time (Unix ns) for the fan-out latency.
/// Objects are made by patching a template encoded once with <see cref="ObjectCodec"/>, so the load generator spends no
/// CPU on FlatBuffers while it shares the machine with the server.
/// </summary>
internal static class BenchModel
{
    public const uint EntityId = 1;
    public const uint SentAtPropertyId = 2;
    public const int ObjectBytes = 100;

    private const ulong IdMarker = 0x0102030405060708;
    private const long SentAtMarker = 0x1112131415161718;

    public const string Json = """
        {
          "_note": "sync-bench: one entity, objects of 100 bytes",
          "entities": [
            {
              "id": "1:7312285064325471401",
              "lastPropertyId": "3:5541367729174583601",
              "name": "BenchItem",
              "flags": 2,
              "properties": [
                { "id": "1:4426915201712906911", "name": "id", "type": 6, "flags": 1 },
                { "id": "2:8923417755160034721", "name": "sentAt", "type": 6 },
                { "id": "3:5541367729174583601", "name": "payload", "type": 9 }
              ],
              "relations": []
            }
          ],
          "lastEntityId": "1:7312285064325471401",
          "lastIndexId": "0:0",
          "lastRelationId": "0:0",
          "lastSequenceId": "0:0",
          "modelVersion": 5,
          "modelVersionParserMinimum": 5,
          "retiredEntityUids": [],
          "retiredIndexUids": [],
          "retiredPropertyUids": [],
          "retiredRelationUids": [],
          "version": 1
        }
        """;

    private static readonly byte[] Template;
    private static readonly int IdOffset;
    private static readonly int SentAtOffset;

    static BenchModel()
    {
        Model = ModelJsonReader.Read(Json);
        Entity = Model.FindEntity(EntityId)!;
        SchemaHash = Convert.FromHexString(Model.Hash);
        // Fixed fields are 8 + 8 bytes, the string's length, bytes and terminator, plus FlatBuffers headers: pick the
        // payload length that makes the whole object ObjectBytes long.
        for (var length = 80; length > 0; length--)
        {
            var candidate = ObjectCodec.Encode(Entity, Values(IdMarker, SentAtMarker, new string('x', length)));
            if (candidate.Length <= ObjectBytes)
            {
                Template = candidate;
                break;
            }
        }

        if (Template is null)
        {
            throw new InvalidOperationException("no payload length gives a 100-byte object");
        }

        IdOffset = Find(Template, IdMarker);
        SentAtOffset = Find(Template, unchecked((ulong)SentAtMarker));
        var check = ObjectCodec.Decode(Entity, Create(42, 4242));
        if (check[1] is not 42UL || check[2] is not 4242L)
        {
            throw new InvalidOperationException("the object template does not round-trip");
        }
    }

    public static ObjectBoxModel Model { get; }

    public static ModelEntity Entity { get; }

    public static byte[] SchemaHash { get; }

    /// <summary>The size of every object made here.</summary>
    public static int Size => Template.Length;

    /// <summary>A new object with <paramref name="id"/> and <paramref name="sentAtUnixNs"/>.</summary>
    public static byte[] Create(ulong id, long sentAtUnixNs)
    {
        var data = (byte[])Template.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(IdOffset), id);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(SentAtOffset), sentAtUnixNs);
        return data;
    }

    /// <summary>An object whose payload is <paramref name="owner"/>: what the filter scenarios filter on.</summary>
    public static byte[] CreateOwned(ulong id, long sentAtUnixNs, string owner) => ObjectCodec.Encode(Entity, Values(id, sentAtUnixNs, owner));

    /// <summary>The payload of an object (the owner of <see cref="CreateOwned"/>), or null.</summary>
    public static string? ReadPayload(ReadOnlySpan<byte> data) =>
        ObjectCodec.TryReadProperty(Entity, data, 3, out var value) ? value as string : null;

    /// <summary>The sentAt value of an object, 0 when absent.</summary>
    public static long ReadSentAt(ReadOnlySpan<byte> data) =>
        ObjectCodec.TryReadScalar(Entity, data, SentAtPropertyId, out var value) ? value : 0;

    /// <summary>A global ID as a client with <paramref name="clientNumber"/> makes it (docs/ids.md).</summary>
    public static ulong GlobalId(uint clientNumber, ulong localId) => ((ulong)clientNumber << 40) | localId;

    private static Dictionary<uint, object?> Values(ulong id, long sentAt, string payload) =>
        new() { [1] = id, [2] = sentAt, [3] = payload };

    private static int Find(byte[] data, ulong marker)
    {
        Span<byte> pattern = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(pattern, marker);
        var index = data.AsSpan().IndexOf(pattern);
        return index >= 0 ? index : throw new InvalidOperationException("marker not found in the object template");
    }
}
