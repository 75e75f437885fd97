namespace Sciot.Core.Protocol.Json;

/// <summary>Reply to <c>POST /api/device_inference_result</c>: the prediction and the next decision.</summary>
public sealed record InferenceResultResponse
{
    public required string Message { get; init; }
    public required string ClientId { get; init; }
    public required uint MessageId { get; init; }
    public required string ModelName { get; init; }
    public required int OffloadingLayerIndex { get; init; }
    public required PredictionSummary Prediction { get; init; }
    public required double EdgeSeconds { get; init; }
    public required double DeviceSeconds { get; init; }
    public required int NextOffloadingLayer { get; init; }

    /// <summary>
    /// Time the server spent on the request after receiving it; the client subtracts it from its round trip so its
    /// upload-time measurement (and so the bandwidth estimate) is not inflated by the tail inference.
    /// </summary>
    public double ProcessingSeconds { get; init; }
}

public sealed record PredictionSummary
{
    public required string Kind { get; init; }
    public IReadOnlyList<DetectionDto> Detections { get; init; } = [];
    public string? Label { get; init; }
    public float? Score { get; init; }
}

public sealed record DetectionDto(string Label, int ClassIndex, float CenterX, float CenterY, float Confidence, int CellCount);
