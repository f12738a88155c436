using System.Globalization;
using SyncServer.Bench.Infrastructure;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Scenarios;

/// <summary>
/// The child process of scenario 5 (<c>sync-bench connections-worker --url ws://... --count N</c>): opens N connections,
/// logs each in (AUTO) and waits for its UPDATES_COMPLETE, then prints <c>READY n</c>. The connections then idle (a
/// HEARTBEAT every 20 s, as the SDK's 25 s) and wait with zero-byte receives, holding no buffer. When every connection has
/// received a live TX it prints <c>RECEIVED n maxLatencyUs</c>; the command <c>report</c> prints it at once; <c>exit</c> ends.
/// </summary>
internal static class ConnectionsWorker
{
    public static async Task<int> RunAsync(Uri url, int count)
    {
        FileLimit.RaiseToMaximum();
        var clients = new RawSyncClient[count];
        var ready = 0;
        var received = 0;
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void OnMessage(ReadOnlySpan<byte> message, long receivedUnixNs)
        {
            switch ((MessageType)message[0])
            {
                case MessageType.UpdatesComplete:
                    if (Interlocked.Increment(ref ready) == count)
                    {
                        allReady.TrySetResult();
                    }

                    break;
                case MessageType.Txs:
                    TxsScanner.ScanPuts(message, receivedUnixNs, static (now, sentAt) => Max(ref _maxLatencyNs, now - sentAt));
                    if (Interlocked.Increment(ref received) == count)
                    {
                        allReceived.TrySetResult();
                    }

                    break;
            }
        }

        using var gate = new SemaphoreSlim(50);
        var connects = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var client = await RawSyncClient.ConnectAsync(url, receiving: false);
                await client.LoginOkAsync(RequestUpdatesMode.Auto);
                client.StartReceiving(OnMessage, 1024, bufferOnlyWhileReceiving: true);
                clients[i] = client;
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        await Task.WhenAll(connects);
        await allReady.Task.WaitAsync(TimeSpan.FromMinutes(10));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"READY {count}"));

        using var stop = new CancellationTokenSource();
        var heartbeats = HeartbeatsAsync(clients, stop.Token);
        var reported = allReceived.Task.ContinueWith(
            _ => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RECEIVED {Volatile.Read(ref received)} {Interlocked.Read(ref _maxLatencyNs) / 1000}")),
            TaskScheduler.Default);
        while (await Console.In.ReadLineAsync() is { } command && command != "exit")
        {
            if (command == "report")
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RECEIVED {Volatile.Read(ref received)} {Interlocked.Read(ref _maxLatencyNs) / 1000}"));
            }
        }

        await stop.CancelAsync();
        await heartbeats;
        foreach (var client in clients)
        {
            client.Abort();
        }

        return 0;
    }

    // The largest send-to-receipt time seen, in ns.
    private static long _maxLatencyNs;

    private static void Max(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static async Task HeartbeatsAsync(RawSyncClient[] clients, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(20), ct);
                var heartbeat = MessageCodec.Encode(new HeartbeatMessage(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                foreach (var client in clients)
                {
                    await client.SendAsync(heartbeat, ct);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
