using System.Threading.Channels;

namespace Sciot.Server.Storage;

/// <summary>
/// Group commit of accepted results: concurrent results queue here, one writer stores everything queued so far in a
/// single SQLite transaction, and each caller's task completes only after the transaction holding its record
/// committed. "Acknowledged means stored" holds, and 64 concurrent devices cost one commit instead of 64.
/// Stopping drains the queue first, so requests in flight at shutdown are stored and answered.
/// </summary>
public sealed class InferenceRecorder : IInferenceLog, IHostedService, IAsyncDisposable
{
    /// <summary>Enough to amortise a commit over many results, small enough that one transaction stays short.</summary>
    private const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SciotDatabase _database;
    private readonly ILogger<InferenceRecorder> _logger;
    private readonly Task _writer;

    public InferenceRecorder(SciotDatabase database, ILogger<InferenceRecorder> logger)
    {
        _database = database;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Completes once the record and the client's progress are committed; faults if the transaction failed.</summary>
    public Task RecordAsync(InferenceRecord record, ClientProgress progress)
    {
        var pending = new Pending(record, progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the server is shutting down and stores no more results");
        }
        return pending.Committed.Task;
    }

    public Task WriteCsvAsync(InferenceFilter filter, Stream output, CancellationToken cancellationToken) =>
        InferenceExport.WriteCsvAsync(_database.FilePath, filter, output, cancellationToken);

    public Task<IReadOnlyList<InferenceAggregate>> AggregateAsync(InferenceFilter filter, CancellationToken cancellationToken) =>
        Task.FromResult(_database.AggregateInferences(filter));

    public Task<IReadOnlyList<SplitCount>> SplitHistogramAsync(InferenceFilter filter, CancellationToken cancellationToken) =>
        Task.FromResult(_database.SplitHistogram(filter));

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken);
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            try
            {
                _database.CommitBatch(batch.Select(p => (p.Record, p.Progress)).ToList());
                batch.ForEach(p => p.Committed.SetResult());
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Storing {Count} inference records failed; their requests are answered with an error", batch.Count);
                batch.ForEach(p => p.Committed.SetException(e));
            }
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private sealed record Pending(InferenceRecord Record, ClientProgress Progress, TaskCompletionSource Committed);
}
