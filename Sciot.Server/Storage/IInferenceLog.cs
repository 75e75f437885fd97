namespace Sciot.Server.Storage;

/// <summary>
/// Where accepted inference records go and are read back from: the embedded SQLite database (one server) or the
/// cluster's shared store. A record is stored once <see cref="RecordAsync"/> completes; only then is the result
/// acknowledged. Every read takes the same <see cref="InferenceFilter"/> (client, model, time range).
/// </summary>
public interface IInferenceLog
{
    /// <summary>Stores the record (and, in one process, the client row it changed); faults if it could not be stored.</summary>
    Task RecordAsync(InferenceRecord record, ClientProgress progress);

    /// <summary>The records the filter selects as CSV, oldest first, written to <paramref name="output"/> as they are read.</summary>
    Task WriteCsvAsync(InferenceFilter filter, Stream output, CancellationToken cancellationToken);

    /// <summary>Per client and model: count, mean device/transfer/edge seconds, first and last record time.</summary>
    Task<IReadOnlyList<InferenceAggregate>> AggregateAsync(InferenceFilter filter, CancellationToken cancellationToken);

    /// <summary>How many of the selected records of each client used each (model, split layer).</summary>
    Task<IReadOnlyList<SplitCount>> SplitHistogramAsync(InferenceFilter filter, CancellationToken cancellationToken);
}
