using System.Net;
using System.Net.Sockets;

namespace SyncServer.Client.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of the server, so a test can cut a connection at a chosen moment: once
/// <see cref="DropBeforeNextServerBytes"/> is armed, the first bytes the server sends back after the client sent something
/// are not forwarded and both sockets are closed (e.g. between APPLY_TX and its ACK_TX).
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private volatile bool _armed;
    private volatile bool _clientSpoke;
    private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync);
    }

    public Uri Url => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Completes when an armed drop happened.</summary>
    public Task Dropped => _dropped.Task;

    public void DropBeforeNextServerBytes()
    {
        _clientSpoke = false;
        _armed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => PumpAsync(client));
        }
    }

    private async Task PumpAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, connection.Token);
            client.NoDelay = server.NoDelay = true;
            var up = CopyAsync(client.GetStream(), server.GetStream(), fromServer: false, connection);
            var down = CopyAsync(server.GetStream(), client.GetStream(), fromServer: true, connection);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
        }
        finally
        {
            await connection.CancelAsync();
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, bool fromServer, CancellationTokenSource connection)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, connection.Token);
                if (read == 0)
                {
                    return;
                }

                if (fromServer && _armed && _clientSpoke)
                {
                    _armed = false;
                    _dropped.TrySetResult();
                    return; // closes both sides without forwarding these bytes
                }

                if (!fromServer && _armed)
                {
                    _clientSpoke = true;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), connection.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
