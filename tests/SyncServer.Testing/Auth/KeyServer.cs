using System.Net;
using System.Net.Sockets;

namespace SyncServer.Engine.Tests.Auth;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 serving one changeable body at <see cref="Url"/> (a JWKS, a certificate map, PEM), and
/// counting the requests: the key URL of the JWT tests. Stopped by Dispose.
/// </summary>
internal sealed class KeyServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private volatile string _body;
    private int _requests;

    public KeyServer(string body)
    {
        _body = body;
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                Url = new Uri($"http://127.0.0.1:{port}/keys");
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; private set; } = null!;

    public int Requests => Volatile.Read(ref _requests);

    public string Body
    {
        get => _body;
        set => _body = value;
    }

    /// <summary>A URL on which nothing listens.</summary>
    public static Uri Unreachable() => new($"http://127.0.0.1:{FreePort()}/keys");

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            var bytes = System.Text.Encoding.UTF8.GetBytes(_body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
