using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

/// <summary>The host names the admin UI answers to (docs/admin.md "Host names and origins").</summary>
internal static class AdminHosts
{
    /// <summary>
    /// localhost, 127.0.0.1 and [::1]; the admin bind's address, or for an all-interfaces bind this machine's name and
    /// the addresses of its interfaces; then <paramref name="extra"/> (<c>allowedHosts</c>). "*" among them: any host.
    /// </summary>
    public static IReadOnlyList<string> Resolve(BindAddress admin, IReadOnlyList<string> extra)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(extra);
        if (extra.Contains("*"))
        {
            return ["*"];
        }

        var hosts = new List<string> { "localhost", "127.0.0.1", "[::1]" };
        if (admin.IsAllInterfaces)
        {
            hosts.Add(Dns.GetHostName());
            hosts.AddRange(MachineAddresses().Select(Format));
        }
        else
        {
            hosts.Add(Format(admin.Address));
        }

        hosts.AddRange(extra);
        return [.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>An address as it appears in a Host header: IPv6 in brackets, without a scope.</summary>
    private static string Format(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        return $"[{new IPAddress(address.GetAddressBytes())}]";
    }

    private static List<IPAddress> MachineAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address)
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
