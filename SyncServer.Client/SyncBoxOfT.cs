using System.Diagnostics.CodeAnalysis;
using SyncServer.Client.Typed;

namespace SyncServer.Client;

/// <summary>
/// The objects of one entity as instances of <typeparamref name="T"/> (see <see cref="SyncClient.Box{T}"/>). The class's
/// ID property receives the local ID on <see cref="Put"/>. Thread-safe; a cheap view of its <see cref="SyncClient"/>.
/// </summary>
public sealed class SyncBox<[DynamicallyAccessedMembers(TypeMapper<T>.Members)] T> where T : class, new()
{
    private readonly SyncBox _box;
    private readonly TypeMapper<T> _mapper;

    internal SyncBox(SyncBox box, TypeMapper<T> mapper)
    {
        _box = box;
        _mapper = mapper;
    }

    public string EntityName => _box.EntityName;

    /// <summary>Creates (ID 0) or replaces the object; sets its ID property and returns the ID.</summary>
    public ulong Put(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var id = _box.PutValues(_mapper.ToValues(item));
        _mapper.SetId(item, id);
        return id;
    }

    public T? Get(ulong id) => _box.GetValues(id) is { } values ? _mapper.FromValues(values) : null;

    public IReadOnlyList<T> GetAll() => [.. _box.GetAllValues().Select(_mapper.FromValues)];

    public IReadOnlyList<T> Query(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return [.. GetAll().Where(predicate)];
    }

    public long Count() => _box.Count();

    public bool Remove(ulong id) => _box.Remove(id);

    public bool Remove(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _box.Remove(_mapper.GetId(item));
    }
}
