namespace SyncServer.Core.Model;

/// <summary>ObjectBox property flags ("flags" of a property), a bit set.</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is ObjectBox's own name for these
public enum PropertyFlags : uint
#pragma warning restore CA1711
{
    None = 0,
    Id = 1,
    NonPrimitiveType = 2,
    NotNull = 4,
    Indexed = 8,
    Reserved16 = 16,
    Unique = 32,
    IdMonotonicSequence = 64,
    IdSelfAssignable = 128,
    IndexPartialSkipNull = 256,
    IndexPartialSkipZero = 512,
    Virtual = 1024,
    IndexHash = 2048,
    IndexHash64 = 4096,
    Unsigned = 8192,
    IdCompanion = 16384,
    UniqueOnConflictReplace = 32768,
    ExpirationTime = 65536,
    SyncClock = 131072,
    SyncPrecedence = 262144,
}
