using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Filters;

// One per TX being applied, on the writer's thread: not thread-safe.
/// <summary>
/// Collects what a TX's deliveries to filtered clients need beyond its ops, stored with the TX in the txlog
/// (<c>filter_context</c>, docs/storage.md): for each op on a filtered entity the object as it was stored before the op
/// (a PUT's or REMOVE's before-image) or, for a LINK or UNLINK of a relation whose source entity is filtered, the source
/// object at that point. Layout (little-endian):
/// <code>
/// u16 entityCount · entityCount × u64 entityUid     (the filtered entities the TX touched: their ops are covered)
/// u32 count · count × (u32 opIndex · bytes data)     (bytes: u32 length and the object's FlatBuffers bytes)
/// </code>
/// An op of a covered entity without an entry had no before-image (a new object; a link whose source is not stored).
/// </summary>
internal sealed class FilterContext
{
    private readonly List<ulong> _entities = [];
    private readonly List<(int OpIndex, byte[] Data)> _entries = [];

    /// <summary>Marks the entity as covered (its ops' before-images are recorded).</summary>
    public void Cover(ulong entityUid)
    {
        if (!_entities.Contains(entityUid))
        {
            _entities.Add(entityUid);
        }
    }

    public void Add(int opIndex, byte[] data) => _entries.Add((opIndex, data));

    /// <summary>The encoding; null when the TX touched no filtered entity.</summary>
    public byte[]? ToBytes()
    {
        if (_entities.Count == 0)
        {
            return null;
        }

        var writer = new ProtocolWriter(2 + (8 * _entities.Count) + 4 + _entries.Sum(e => 8 + e.Data.Length));
        writer.WriteU16((ushort)_entities.Count);
        foreach (var uid in _entities)
        {
            writer.WriteU64(uid);
        }

        writer.WriteU32((uint)_entries.Count);
        foreach (var (opIndex, data) in _entries)
        {
            writer.WriteU32((uint)opIndex);
            writer.WriteBytes(data);
        }

        return writer.ToArray();
    }

    /// <summary>Reads <see cref="ToBytes"/>: the covered entities and the before-images by op index.</summary>
    /// <exception cref="ProtocolException">The bytes are not a filter context.</exception>
    public static (HashSet<ulong> Covered, Dictionary<int, byte[]> Before) Read(byte[] bytes)
    {
        var reader = new ProtocolReader(bytes);
        var entityCount = reader.ReadU16("covered entity count");
        var covered = new HashSet<ulong>(entityCount);
        for (var i = 0; i < entityCount; i++)
        {
            covered.Add(reader.ReadU64("covered entity UID"));
        }

        var count = reader.ReadCount("before-image count", 8);
        var before = new Dictionary<int, byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var opIndex = (int)reader.ReadU32("op index");
            before[opIndex] = reader.ReadBytes("before-image").ToArray();
        }

        reader.ExpectEnd("filter context");
        return (covered, before);
    }
}
