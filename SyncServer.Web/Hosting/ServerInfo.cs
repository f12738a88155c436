using System.Reflection;

namespace SyncServer.Web.Hosting;

internal static class ServerInfo
{
    /// <summary>The product version (informational version without the source revision suffix).</summary>
    public static string Version { get; } =
        typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
