namespace SyncServer.Core.Model;

/// <summary>
/// One problem found in an objectbox-model.json. <see cref="Location"/> says where, in the file's own terms
/// (<c>entities[1] "Note" property "title" (ID 3)</c>, <c>lastIndexId</c>, <c>line 12, column 5</c>).
/// </summary>
public sealed record ModelError(string Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}
