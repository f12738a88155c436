using System.Diagnostics;
using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Bench.Infrastructure;

/// <summary>
/// Sends APPLY_TX messages on one <see cref="RawSyncClient"/> with at most <c>window</c> unACKed (pipelining, as the protocol
/// allows) and waits for their ACK_TX. Any ACK that is not "applied", or an ERROR, fails the run.
/// </summary>
internal sealed class PipelinedSender : IDisposable
{
    private readonly RawSyncClient _client;
    private readonly SemaphoreSlim _window;
    private long _acked;
    private long _target = long.MaxValue;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PipelinedSender(RawSyncClient client, int window)
    {
        _client = client;
        _window = new SemaphoreSlim(window, window);
        client.StartReceiving(OnMessage, 4096);
    }

    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Sends all <paramref name="messages"/>; returns the time from the first send to the last ACK.</summary>
    public async Task<TimeSpan> SendAllAsync(IReadOnlyList<byte[]> messages, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _done = done;
        Volatile.Write(ref _target, Acked + messages.Count);
        using var cts = new CancellationTokenSource(timeout);
        var stopwatch = Stopwatch.StartNew();
        foreach (var message in messages)
        {
            await _window.WaitAsync(cts.Token);
            await _client.SendAsync(message, cts.Token);
        }

        await done.Task.WaitAsync(cts.Token);
        return stopwatch.Elapsed;
    }

    public void Dispose() => _window.Dispose();

    private void OnMessage(ReadOnlySpan<byte> message, long receivedUnixNs)
    {
        switch ((MessageType)message[0])
        {
            case MessageType.AckTx:
                var ack = (AckTxMessage)MessageCodec.Decode(message);
                if (ack.Status != AckStatus.Applied)
                {
                    _done.TrySetException(new InvalidOperationException($"TX {ack.ClientTxId} was ACKed as {ack.Status}"));
                }

                _window.Release();
                if (Interlocked.Increment(ref _acked) >= Volatile.Read(ref _target))
                {
                    _done.TrySetResult();
                }

                break;
            case MessageType.Error:
                _done.TrySetException(new InvalidOperationException($"server error: {MessageCodec.Decode(message)}"));
                break;
        }
    }
}
