namespace SyncServer.Web.Services;

/// <summary>One network interface as the status page shows it: name, operational status and addresses.</summary>
internal sealed record NetworkInterfaceInfo(string Name, string Status, IReadOnlyList<string> Addresses);
