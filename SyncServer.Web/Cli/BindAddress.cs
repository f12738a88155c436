using System.Globalization;
using System.Net;

namespace SyncServer.Web.Cli;

/// <summary>
/// A listen address given as a URL: <c>ws://0.0.0.0:9999</c>, <c>wss://[::]:9999</c>, <c>http://127.0.0.1:9980</c>.
/// The host must be an IP address, <c>localhost</c> or <c>*</c> (all interfaces); TLS follows the scheme.
/// </summary>
internal sealed record BindAddress(string Url, IPAddress Address, int Port, bool UseTls)
{
    public bool IsAllInterfaces => Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any);

    /// <summary>"all interfaces" or the address, as the start-up log says it.</summary>
    public string HostDescription => IsAllInterfaces ? "all interfaces" : Address.ToString();

    /// <param name="text">The URL as given.</param>
    /// <param name="source">Where it came from, e.g. "--bind" or "bind in sync-server-config.json", for error messages.</param>
    /// <param name="plainScheme">"ws" for the sync port, "http" for the admin port.</param>
    /// <param name="tlsScheme">"wss" or "https".</param>
    public static BindAddress Parse(string text, string source, string plainScheme, string tlsScheme)
    {
        var example = $"{plainScheme}://0.0.0.0:9999";
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw new SettingsException($"{source}: '{text}' is not a URL; expected e.g. {example}");
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        var useTls = scheme == tlsScheme;
        if (scheme != plainScheme && !useTls)
        {
            throw new SettingsException($"{source}: scheme '{scheme}' in '{text}' is not supported; use {plainScheme}:// or {tlsScheme}://");
        }

        var authority = text[(schemeEnd + 3)..].TrimEnd('/');
        if (authority.IndexOfAny(['/', '?', '#']) >= 0)
        {
            throw new SettingsException($"{source}: '{text}' must not have a path or query; expected e.g. {example}");
        }

        var portSeparator = authority.LastIndexOf(':');
        var host = portSeparator > 0 ? authority[..portSeparator] : authority;
        if (portSeparator <= 0 || (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[')))
        {
            throw new SettingsException($"{source}: '{text}' has no port; expected e.g. {example} (IPv6 hosts in brackets: [::1])");
        }

        var portText = authority[(portSeparator + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new SettingsException($"{source}: port '{portText}' in '{text}' is not a number from 1 to 65535");
        }

        host = host.Trim('[', ']');
        IPAddress? address;
        if (host is "*" or "+")
        {
            address = IPAddress.Any;
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address))
        {
            throw new SettingsException($"{source}: host '{host}' in '{text}' is not an IP address; use an address of this machine, localhost, or 0.0.0.0 for all interfaces");
        }

        return new BindAddress($"{scheme}://{authority}", address, port, useTls);
    }
}
