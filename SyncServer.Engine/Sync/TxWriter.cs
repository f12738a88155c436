using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SyncServer.Core.Protocol;
using SyncServer.Engine.Logging;
using SyncServer.Engine.Schema;
using SyncServer.Engine.Stats;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync;

// Singleton, thread-safe: SubmitAsync may be called from any thread; one consumer task is the only code that writes sync
// data, and it commits everything queued in one database transaction (group commit).
/// <summary>
/// Applies client transactions to the database in commit order. Submissions queue up while a commit is on its way to
/// disk; the consumer then takes all of them (up to <see cref="TxWriterOptions"/>) and commits them in one
/// <see cref="ISyncStorage.WriteBatch{T}"/>, one fsync for the batch, each transaction in its own SAVEPOINT. Only after the
/// commit returned, the <see cref="TxFeed"/> gets the new transactions and then the tasks complete (ACK after durable
/// commit; when a task completes, <see cref="TxFeed.Head"/> is at or past its position). See
/// docs/sync-engine.md and docs/conflicts.md.
/// </summary>
internal sealed partial class TxWriter : IAsyncDisposable
{
    private readonly ISyncStorage _storage;
    private readonly TxFeed _feed;
    private readonly SchemaVersions _schema;
    private readonly TimeProvider _time;
    private readonly TxWriterOptions _options;
    private readonly ILogger _log;
    private readonly Channel<PendingTx> _queue = Channel.CreateUnbounded<PendingTx>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly Task _consumer;
    private readonly TxLogPruner? _pruner;
    private readonly SyncStatistics? _statistics;
    private readonly Filters.SyncFilters? _filters;
    private ulong _head;
    private long _txLogBytes;
    private long _commits;
    private long _applied;
    private long _duplicates;
    private long _putConflicts;

    public TxWriter(
        ISyncStorage storage,
        TxFeed feed,
        SchemaVersions schema,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        TxWriterOptions? options = null,
        SyncStatistics? statistics = null,
        Filters.SyncFilters? filters = null)
    {
        _filters = filters;
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _storage = storage;
        _feed = feed;
        _schema = schema;
        _time = time;
        _options = options ?? new TxWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBatchTxs, 1);
        _log = loggerFactory.CreateLogger(LogTags.Sync);
        _statistics = statistics;
        // Measured once (one pass over the txlog's row headers), then counted per commit.
        _txLogBytes = storage.MeasureTxLog();
        if (_options.HistoryMaxBytes is { } maxBytes)
        {
            _pruner = new TxLogPruner(maxBytes, _options.HistoryTargetBytes ?? maxBytes / 10 * 9, _txLogBytes);
        }

        _head = storage.ReadHead();
        _consumer = Task.Run(RunAsync);
    }

    /// <summary>How many database commits (batches) the writer made: with group commit far fewer than transactions.</summary>
    public long CommitCount => Interlocked.Read(ref _commits);

    /// <summary>Transactions applied (including those whose ops all lost or changed nothing).</summary>
    public long AppliedCount => Interlocked.Read(ref _applied);

    /// <summary>Transactions recognised as duplicates and not applied again.</summary>
    public long DuplicateCount => Interlocked.Read(ref _duplicates);

    /// <summary>Puts that lost a conflict (docs/conflicts.md).</summary>
    public long PutConflictCount => Interlocked.Read(ref _putConflicts);

    /// <summary>The transaction log's size as <see cref="TxWriterOptions.HistoryMaxBytes"/> counts it: encoded operations plus
    /// 32 bytes per entry.</summary>
    public long TxLogBytes => Interlocked.Read(ref _txLogBytes);

    /// <summary>
    /// Queues a validated transaction (<see cref="TxValidator"/>) and completes once it is committed durably, or found to be
    /// a duplicate. Cancelling only stops the wait: a transaction the writer already took may still be applied, and a
    /// resend is then recognised as a duplicate.
    /// </summary>
    /// <exception cref="InvalidOperationException">The writer is stopped.</exception>
    /// <exception cref="DatabaseFullException">The batch hit the size limit; nothing of it was applied.</exception>
    /// <exception cref="SyncServer.Core.Objects.ObjectFormatException">Stored or sent object data could not be merged; this TX was not applied.</exception>
    public Task<TxOutcome> SubmitAsync(TxSubmission submission, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<TxOutcome>(ct);
        }

        var pending = new PendingTx(submission, EstimateBytes(submission.Tx));
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException<TxOutcome>(new InvalidOperationException("The transaction writer is stopped; the transaction was not applied"));
        }

        if (ct.CanBeCanceled)
        {
            pending.CancelRegistration = ct.Register(static state =>
            {
                var (tx, token) = ((PendingTx, CancellationToken))state!;
                tx.Completion.TrySetCanceled(token);
            }, (pending, ct));
        }

        return pending.Completion.Task;
    }

    /// <summary>Stops taking transactions, applies everything already queued, and waits for the consumer to finish.</summary>
    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingTx>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            long bytes = 0;
            while (batch.Count < _options.MaxBatchTxs && bytes < _options.MaxBatchBytes && reader.TryRead(out var pending))
            {
                // Cancelled while queued: not applied (the client resends it).
                if (!pending.Completion.Task.IsCompleted)
                {
                    batch.Add(pending);
                    bytes += pending.Bytes;
                }
            }

            if (batch.Count > 0)
            {
                CommitBatch(batch);
            }
        }

        SyncLog.WriterStopped(_log, _head);
    }

    private static long EstimateBytes(ClientTx tx)
    {
        long bytes = 0;
        foreach (var op in tx.Ops)
        {
            bytes += OpCodec.MinOpSize + (op is PutOp put ? put.Data.Length : 8);
        }

        return bytes;
    }

    private sealed class PendingTx(TxSubmission submission, long bytes)
    {
        public TxSubmission Submission { get; } = submission;
        public long Bytes { get; } = bytes;
        public TaskCompletionSource<TxOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration CancelRegistration { get; set; }
    }
}
