using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Tests.Sync;

/// <summary>Compares operations by value, PUT data byte by byte (records compare ReadOnlyMemory by reference).</summary>
internal sealed class SyncOpComparer : IEqualityComparer<SyncOp>
{
    public static SyncOpComparer Instance { get; } = new();

    public bool Equals(SyncOp? x, SyncOp? y) => (x, y) switch
    {
        (PutOp a, PutOp b) => a.EntityId == b.EntityId && a.ObjectId == b.ObjectId && a.Data.Span.SequenceEqual(b.Data.Span),
        _ => Equals((object?)x, y),
    };

    public int GetHashCode(SyncOp obj) => obj is PutOp put ? HashCode.Combine(put.EntityId, put.ObjectId) : obj.GetHashCode();
}
