namespace SyncServer.Core.Objects;

/// <summary>TEMPORARY STUB until branch objects is merged: object bytes that are not a valid object of the entity.</summary>
public sealed class ObjectFormatException(string message) : Exception(message);
