namespace Sciot.Core.Telemetry;

/// <summary>Span and metric tag names shared by client and server, so one query finds a client's spans on both sides.</summary>
public static class SciotTags
{
    public const string ClientId = "sciot.client_id";
    public const string Model = "sciot.model";
    public const string SplitLayer = "sciot.split_layer";
    public const string TensorBytes = "sciot.tensor_bytes";

    /// <summary>Resource attribute of a client process: how many virtual devices it runs (1 unless in load mode).</summary>
    public const string DeviceCount = "sciot.device_count";
}
