namespace SyncServer.Web.Services;

/// <summary>Everything the status page shows, read at one moment.</summary>
internal sealed record ServerStatus(
    string Version,
    DateTimeOffset? StartedAt,
    TimeSpan Uptime,
    string DataDirectory,
    long DatabaseBytes,
    long? DatabaseMaxBytes,
    long? FreeDiskBytes,
    long ProcessMemoryBytes,
    int CpuCount,
    double? LoadAverage1Min,
    IReadOnlyList<NetworkInterfaceInfo> Interfaces,
    IReadOnlyList<string> BindUrls,
    int? SchemaVersion);
