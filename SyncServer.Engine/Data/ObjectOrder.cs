namespace SyncServer.Engine.Data;

/// <summary>What <see cref="ObjectBrowser.Page"/> sorts by; both are columns of the objects table, so sorting is cheap.</summary>
public enum ObjectOrder
{
    Id,
    /// <summary>The txlog position of the object's last change (most recently changed last).</summary>
    LastChange,
}
