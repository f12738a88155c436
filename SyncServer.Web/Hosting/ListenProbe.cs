using System.Net;
using System.Net.Sockets;
using SyncServer.Engine.Hosting;
using SyncServer.Web.Cli;

namespace SyncServer.Web.Hosting;

/// <summary>
/// Binds (and at once releases) each listen address the way Kestrel will, before the engine opens the data directory:
/// a port in use or an address this machine does not have stops the start before anything is written, with one line
/// naming the option and the address instead of Kestrel's stack trace.
/// </summary>
internal static class ListenProbe
{
    /// <exception cref="SyncEngineStartException">An address cannot be bound: exit 2 for an address that is not this machine's, 1 otherwise.</exception>
    public static void Check(ServerSettings settings)
    {
        Check(settings.Bind, "--bind (config key bind)", "sync");
        if (settings.AdminBind is { } admin)
        {
            Check(admin, "--admin-bind (config key adminBind)", "admin UI");
        }
    }

    private static void Check(BindAddress bind, string source, string what)
    {
        using var socket = new Socket(bind.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (bind.Address.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true; // as Kestrel listens on [::]
        }

        // No ReuseAddress: on Linux .NET maps it to SO_REUSEPORT too, which would let the probe share a port another program
        // listens on. Like Kestrel's, the probe's bind already sets SO_REUSEADDR (connections of a previous run in TIME_WAIT
        // do not make the port "in use").
        try
        {
            socket.Bind(new IPEndPoint(bind.Address, bind.Port));
        }
        catch (SocketException e)
        {
            var (reason, exitCode) = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => ($"port {bind.Port} on {bind.HostDescription} is already in use by another program", SyncEngineStartException.RuntimeErrorExitCode),
                SocketError.AddressNotAvailable => ($"{bind.Address} is not an address of this machine; use one of its addresses, 127.0.0.1, or 0.0.0.0 for all interfaces", SyncEngineStartException.BadInputExitCode),
                SocketError.AccessDenied => ($"no permission to listen on port {bind.Port} (ports below 1024 need root or CAP_NET_BIND_SERVICE)", SyncEngineStartException.RuntimeErrorExitCode),
                _ => ($"cannot listen on {bind.Address}:{bind.Port}: {e.Message}", SyncEngineStartException.RuntimeErrorExitCode),
            };
            throw new SyncEngineStartException($"{source}: cannot listen for the {what} port on {bind.Url}: {reason}; nothing was written", exitCode, inner: e);
        }
    }
}
