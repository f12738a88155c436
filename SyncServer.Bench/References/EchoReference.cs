using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using HdrHistogram;

namespace SyncServer.Bench.References;

/// <summary>What r2 measured.</summary>
/// <param name="RoundTripsPerSecond">50 connections, 100-byte frames, each sending its next frame when the echo came back.</param>
/// <param name="RttP50Us">One connection alone, ping-pong: median round trip in microseconds.</param>
/// <param name="RttP99Us">The same, 99th percentile.</param>
/// <param name="IdleBytesPerConnection">Echo server RSS growth per idle WebSocket.</param>
internal sealed record EchoFigures(double RoundTripsPerSecond, double RttP50Us, double RttP99Us, double IdleBytesPerConnection, IReadOnlyDictionary<string, object> Details);

/// <summary>
/// r2: this machine's bare Kestrel WebSocket speed over loopback, server in a child process (<see cref="EchoServer"/>),
/// clients here, as the sync benchmark runs: round trips per second with 50 connections and 100-byte frames; the round-trip
/// time of one connection alone; and the server's memory per idle WebSocket.
/// </summary>
internal static class EchoReference
{
    private const int FrameBytes = 100;

    public static async Task<EchoFigures> RunAsync(BenchSizes sizes, IReadOnlyDictionary<string, string> serverGcEnvironment)
    {
        var port = FreePort.Next();
        await using var server = ChildProcess.StartSelf(["echo-server", "--port", port.ToString(CultureInfo.InvariantCulture)], serverGcEnvironment);
        await server.ReadLineAsync("READY", TimeSpan.FromSeconds(30));
        var url = new Uri($"ws://127.0.0.1:{port}/");

        var (roundTrips, seconds) = await ThroughputAsync(url, sizes.EchoConnections, sizes.EchoDuration);
        var latency = await LatencyAsync(url, 5_000);
        var (idleBytes, rssBefore, rssAfter) = await IdleMemoryAsync(url, server.ProcessId, sizes.EchoIdleConnections);

        var details = new Dictionary<string, object>
        {
            ["connections"] = sizes.EchoConnections,
            ["frameBytes"] = FrameBytes,
            ["roundTrips"] = roundTrips,
            ["seconds"] = Math.Round(seconds, 3),
            ["rttSamples"] = latency.TotalCount,
            ["rttP50Us"] = latency.GetValueAtPercentile(50),
            ["rttP99Us"] = latency.GetValueAtPercentile(99),
            ["rttMaxUs"] = latency.GetMaxValue(),
            ["idleConnections"] = sizes.EchoIdleConnections,
            ["idleRssBeforeBytes"] = rssBefore,
            ["idleRssAfterBytes"] = rssAfter,
            ["serverGc"] = serverGcEnvironment,
        };
        await server.WriteLineAsync("exit");
        return new EchoFigures(
            roundTrips / seconds, latency.GetValueAtPercentile(50), latency.GetValueAtPercentile(99), idleBytes, details);
    }

    private static async Task<(long RoundTrips, double Seconds)> ThroughputAsync(Uri url, int connections, TimeSpan duration)
    {
        var sockets = await ConnectAsync(url, connections);
        long count = 0;
        using var stop = new CancellationTokenSource();
        var loops = sockets.Select(socket => Task.Run(async () =>
        {
            var frame = new byte[FrameBytes];
            var buffer = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                }
                while (!result.EndOfMessage);

                Interlocked.Increment(ref count);
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1)); // warm-up
        var start = Interlocked.Read(ref count);
        var stopwatch = Stopwatch.StartNew();
        await Task.Delay(duration);
        var end = Interlocked.Read(ref count);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        await CloseAsync(sockets);
        return (end - start, seconds);
    }

    private static async Task<HistogramBase> LatencyAsync(Uri url, int samples)
    {
        var histogram = new LongHistogram(1, 60_000_000, 3);
        var socket = (await ConnectAsync(url, 1))[0];
        var frame = new byte[FrameBytes];
        var buffer = new byte[4096];
        for (var i = -500; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (i >= 0)
            {
                histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds));
            }
        }

        await CloseAsync([socket]);
        return histogram;
    }

    private static async Task<(double BytesPerConnection, long Before, long After)> IdleMemoryAsync(Uri url, int pid, int connections)
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = ProcessMemory.ReadRssBytes(pid);
        var sockets = await ConnectAsync(url, connections);
        // One message each, so every connection went through the receive path once, as a logged-in client has.
        foreach (var socket in sockets)
        {
            await socket.SendAsync(new byte[FrameBytes], WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            await socket.ReceiveAsync(new byte[4096].AsMemory(), CancellationToken.None);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = ProcessMemory.ReadRssBytes(pid);
        await CloseAsync(sockets);
        return ((after - before) / (double)connections, before, after);
    }

    private static async Task<List<ClientWebSocket>> ConnectAsync(Uri url, int count)
    {
        var sockets = new List<ClientWebSocket>(count);
        for (var i = 0; i < count; i += 50)
        {
            var batch = Enumerable.Range(i, Math.Min(50, count - i)).Select(async _ =>
            {
                var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.Zero;
                await socket.ConnectAsync(url, CancellationToken.None);
                return socket;
            });
            sockets.AddRange(await Task.WhenAll(batch));
        }

        return sockets;
    }

    private static async Task CloseAsync(IEnumerable<ClientWebSocket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }

        await Task.Delay(100);
    }
}
