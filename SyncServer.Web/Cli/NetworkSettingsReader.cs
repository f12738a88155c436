using System.Net;

namespace SyncServer.Web.Cli;

/// <summary>
/// The settings for running behind a proxy and under other host names (README "Behind a proxy"): <c>allowedHosts</c>
/// (environment <c>SYNCSERVER_ALLOWED_HOSTS</c>), more host names the admin UI answers to, and <c>trustedProxies</c>
/// (<c>SYNCSERVER_TRUSTED_PROXIES</c>), the addresses or networks whose <c>X-Forwarded-For</c> is believed. In the config
/// file each is an array of strings; in the environment a comma-separated list, which replaces the file's.
/// </summary>
internal static class NetworkSettingsReader
{
    public const string AllowedHostsKey = "allowedHosts";
    public const string TrustedProxiesKey = "trustedProxies";
    public const string AllowedHostsVariable = "SYNCSERVER_ALLOWED_HOSTS";
    public const string TrustedProxiesVariable = "SYNCSERVER_TRUSTED_PROXIES";

    /// <summary>Host names (<c>admin.example.org</c>, <c>*.example.org</c>, <c>192.0.2.7</c>, <c>[2001:db8::7]</c>) or <c>*</c> for any.</summary>
    /// <exception cref="SettingsException">A name is empty or has a scheme, port, path or space.</exception>
    public static IReadOnlyList<string> AllowedHosts(IReadOnlyList<string>? fromFile, string? fromEnvironment)
    {
        var (values, source) = Pick(fromFile, fromEnvironment, AllowedHostsKey, AllowedHostsVariable);
        foreach (var host in values)
        {
            var bracketed = host.StartsWith('[') && host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out _);
            if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\' or '?' or '#' or '@')
                || (!bracketed && host.Contains(':', StringComparison.Ordinal)))
            {
                throw new SettingsException(
                    $"{source}: '{host}' is not a host name; give names without scheme or port, e.g. admin.example.org, *.example.org, 192.0.2.7, [2001:db8::7], or * for any");
            }
        }

        return values;
    }

    /// <summary>IP addresses (<c>10.0.0.5</c>) and networks in CIDR notation (<c>10.0.0.0/8</c>, <c>fd00::/8</c>).</summary>
    /// <exception cref="SettingsException">An entry is neither.</exception>
    public static IReadOnlyList<IPNetwork> TrustedProxies(IReadOnlyList<string>? fromFile, string? fromEnvironment)
    {
        var (values, source) = Pick(fromFile, fromEnvironment, TrustedProxiesKey, TrustedProxiesVariable);
        var networks = new List<IPNetwork>();
        foreach (var text in values)
        {
            if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else
            {
                throw new SettingsException(
                    $"{source}: '{text}' is not an IP address or network; give addresses (10.0.0.5, fd00::5) or networks in CIDR notation (10.0.0.0/8)");
            }
        }

        return networks;
    }

    private static (IReadOnlyList<string> Values, string Source) Pick(
        IReadOnlyList<string>? fromFile, string? fromEnvironment, string key, string variable)
    {
        if (fromEnvironment is not null)
        {
            return ([.. fromEnvironment.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)], $"{variable} (environment)");
        }

        return ([.. (fromFile ?? []).Select(v => v.Trim())], $"Config: {key}");
    }
}
