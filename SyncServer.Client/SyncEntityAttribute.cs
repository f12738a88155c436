namespace SyncServer.Client;

/// <summary>Maps a class to the model entity <paramref name="name"/> for <see cref="SyncClient.Box{T}"/>
/// (without it, the class name is the entity name).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SyncEntityAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
