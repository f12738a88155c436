using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncServer.Web.Admin;
using SyncServer.Web.Tests.Infrastructure;

namespace SyncServer.Web.Tests.Hubs;

/// <summary>
/// A stats hub connection (<c>/hubs/stats</c>, SignalR JSON over a raw WebSocket with the admin's login cookie) that
/// drops without a close handshake: the server ends that connection's subscription, logs no warning or error, and a new
/// connection of the same admin subscribes and gets ticks. Real server in-process on Kestrel loopback ports.
/// </summary>
public sealed class StatsHubAbortTests : IAsyncLifetime, IDisposable
{
    private const string Password = "Admin-pass-1";
    private const char RecordSeparator = '\u001e';
    private readonly TempDirectory _dir = new();
    private readonly WarningCapture _warnings = new();
    private InProcessServer _server = null!;
    private string _alice = "";

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(_dir.Combine("data"), "--unsecured-no-authentication");
        _server.Services.GetRequiredService<ILoggerFactory>().AddProvider(_warnings);
        _alice = await _server.CreateUserAsync("alice", Password);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>After <see cref="DisposeAsync"/>: the server has released the directory.</summary>
    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_aborted_connection_is_dropped_without_an_error_and_a_new_connection_gets_ticks()
    {
        var sessions = _server.Services.GetRequiredService<AdminSessions>();
#pragma warning disable CA1848 // a probe line: the capture sees what the server's loggers write
        _server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("probe").LogWarning("probe");
#pragma warning restore CA1848
        Assert.True(_warnings.Lines.TryDequeue(out var probe) && probe.Contains("probe", StringComparison.Ordinal), "the capture sees warnings");
        using var browser = new AdminBrowser(_server.AdminUrl);
        await browser.LoginOkAsync("alice", Password);

        using (var first = await SubscribedAsync(browser.SavedCookies))
        {
            await NextTickAsync(first);
            Assert.Equal(1, sessions.Count(_alice));

            first.Abort(); // the TCP connection goes, no close frame: a closed laptop, a dropped network
        }

        await UntilAsync(() => sessions.Count(_alice) == 0, "the server drops the aborted connection's subscription");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var second = await SubscribedAsync(browser.SavedCookies);
        await NextTickAsync(second);
        await NextTickAsync(second); // ticks keep coming: the broadcast to the live group survived the dead member
        Assert.Equal(1, sessions.Count(_alice));
        await second.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

        Assert.Empty(_warnings.Lines);
    }

    // Connects with the cookie, does the SignalR JSON handshake and calls Subscribe (its completion is awaited).
    private async Task<ClientWebSocket> SubscribedAsync(string cookies)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookies);
        var url = new UriBuilder(_server.AdminUrl) { Scheme = "ws", Path = "/hubs/stats" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(url, timeout.Token);
        await SendAsync(socket, """{"protocol":"json","version":1}""");
        Assert.Equal("{}", await ReceiveAsync(socket)); // handshake accepted
        await SendAsync(socket, """{"type":1,"invocationId":"1","target":"Subscribe","arguments":[]}""");
        while (!(await ReceiveAsync(socket)).Contains("\"invocationId\":\"1\"", StringComparison.Ordinal))
        {
        }

        return socket;
    }

    private static async Task NextTickAsync(ClientWebSocket socket)
    {
        while (!(await ReceiveAsync(socket)).Contains("\"target\":\"tick\"", StringComparison.Ordinal))
        {
        }
    }

    private static async Task SendAsync(ClientWebSocket socket, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, timeout.Token);
    }

    // One SignalR message (a frame may carry several; the hub's messages here are small and come one per frame).
    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        while (!result.EndOfMessage);
        return text.ToString().TrimEnd(RecordSeparator);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, "timed out waiting until " + what);
            await Task.Delay(20, CancellationToken.None);
        }
    }

    // Every warning or error any logger of the server writes.
    private sealed class WarningCapture : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(WarningCapture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception?.Message}");
                }
            }
        }
    }
}
