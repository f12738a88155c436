using System.Globalization;

namespace SyncServer.Core.Model;

/// <summary>
/// An ObjectBox "ID:UID" pair: a small ID that is unique within its kind (entity, property of an entity, index, relation)
/// and a random 64-bit UID that is unique across the whole model and never reused once retired.
/// Empty values are written "0:0" (Java, Dart, Swift) or "" (Go, C); both parse to <see cref="Empty"/>.
/// </summary>
public readonly record struct IdUid(uint Id, ulong Uid)
{
    public static readonly IdUid Empty;

    public bool IsEmpty => Id == 0 && Uid == 0;

    /// <summary>Parses "ID:UID"; returns false for anything else (empty text is <see cref="Empty"/>).</summary>
    public static bool TryParse(string? text, out IdUid value)
    {
        value = Empty;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        if (!uint.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !ulong.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            return false;
        }

        value = new IdUid(id, uid);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id}:{Uid}");
}
