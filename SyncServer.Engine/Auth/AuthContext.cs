using System.Net;

namespace SyncServer.Engine.Auth;

/// <summary>Who is logging in, beyond the credentials themselves.</summary>
/// <param name="RemoteAddress">The connection's remote address (IP and port), for logs and rate limits.</param>
/// <param name="ClientId">The persistent client ID from LOGIN.</param>
public sealed record AuthContext(string RemoteAddress, byte[] ClientId)
{
    /// <summary>The nonce this connection's CHALLENGE carried (docs/protocol.md), or empty when the client sent no HELLO.</summary>
    public ReadOnlyMemory<byte> Challenge { get; init; }

    /// <summary>
    /// What failed logins are counted by: the IP address without the port; for IPv6 its /64 network, since one host
    /// usually has a whole /64 to pick addresses from.
    /// </summary>
    public string ThrottleKey => ThrottleKeyOf(RemoteAddress);

    /// <summary>The <see cref="ThrottleKey"/> of a remote address ("IP:port", "[IPv6]:port" or a bare IP address).</summary>
    public static string ThrottleKeyOf(string remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        var colon = remoteAddress.LastIndexOf(':');
        if (colon > 0 && IPAddress.TryParse(remoteAddress[..colon].Trim('[', ']'), out var withPort))
        {
            return Network(withPort);
        }

        return IPAddress.TryParse(remoteAddress.Trim('[', ']'), out var plain) ? Network(plain) : remoteAddress;
    }

    private static string Network(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
