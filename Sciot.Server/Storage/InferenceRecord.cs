namespace Sciot.Server.Storage;

/// <summary>One accepted inference result, written before the reply is sent.</summary>
public sealed record InferenceRecord(DateTimeOffset Time, string ClientId, string ModelName, int Layer, double DeviceSeconds,
    double TransferSeconds, double EdgeSeconds, long Bytes, string Prediction);
