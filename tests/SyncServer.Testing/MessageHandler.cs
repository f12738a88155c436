namespace SyncServer.Tests.Shared;

/// <summary>Handles one whole received message; <paramref name="receivedUnixNs"/> is when its last byte arrived
/// (<see cref="UnixClock"/>).</summary>
internal delegate void MessageHandler(ReadOnlySpan<byte> message, long receivedUnixNs);
