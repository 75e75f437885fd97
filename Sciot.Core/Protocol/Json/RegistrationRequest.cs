namespace Sciot.Core.Protocol.Json;

/// <summary>
/// <c>POST /api/registration</c>. <see cref="DeviceId"/> is what the reference ESP32 firmware sends instead of client_id.
/// </summary>
public sealed record RegistrationRequest
{
    public string? ClientId { get; init; }
    public string? DeviceId { get; init; }
    public ClientCapabilities? Capabilities { get; init; }
}
