namespace Sciot.Core.Protocol.Json;

/// <summary>The seed's reply (<c>message</c>, <c>client_id</c>, <c>model_name</c>) plus what a client needs to fetch and split the model.</summary>
public sealed record RegistrationResponse
{
    public required string Message { get; init; }
    public required string ClientId { get; init; }
    public required string ModelName { get; init; }
    public required string ModelVersion { get; init; }
    public required int LayerCount { get; init; }
    public required int LastOffloadingLayer { get; init; }
    public required string ModelUrl { get; init; }
    public required string ManifestUrl { get; init; }
    public required string AssignmentReason { get; init; }
}
