namespace SyncServer.Core.Model;

/// <summary>ObjectBox entity flags ("flags" of an entity), a bit set.</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is ObjectBox's own name for these
public enum EntityFlags : uint
#pragma warning restore CA1711
{
    None = 0,
    /// <summary>Java only: the generated code uses a no-arg constructor. No meaning for the server.</summary>
    UseNoArgConstructor = 1,
    /// <summary>Objects of this entity are synchronised; other entities stay local to each device.</summary>
    SyncEnabled = 2,
    /// <summary>Object IDs are global: every device uses the same ID for the same object, no ID mapping.</summary>
    SharedGlobalIds = 4,
}
