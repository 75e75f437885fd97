namespace Sciot.Server.Storage;

/// <summary>One accepted inference result, committed before the reply is sent.</summary>
public sealed record InferenceRecord(DateTimeOffset Time, string ClientId, string ModelName, int Layer, double DeviceSeconds,
    double TransferSeconds, double EdgeSeconds, long Bytes, string Prediction, long MessageId);

/// <summary>The client row's part that a result changes; written in the record's transaction, only while the client still has that model.</summary>
public sealed record ClientProgress(string ClientId, string ModelName, DateTimeOffset LastSeen, long InferenceCount, string StatisticsJson);
