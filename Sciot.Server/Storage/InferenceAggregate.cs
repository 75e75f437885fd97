namespace Sciot.Server.Storage;

/// <summary>One client's stored results for one model, summed up.</summary>
public sealed record InferenceAggregate(string ClientId, string ModelName, long Count, double MeanDeviceSeconds, double MeanTransferSeconds,
    double MeanEdgeSeconds, DateTimeOffset First, DateTimeOffset Last)
{
    /// <summary>Mean time between stored results (the client's cycle time while it was in split mode); null with one result.</summary>
    public double? MeanIntervalSeconds => Count > 1 ? (Last - First).TotalSeconds / (Count - 1) : null;
}
