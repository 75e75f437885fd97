using Sciot.Core.Protocol.Json;

namespace Sciot.Client.Connectivity;

/// <summary>Registered (model from the server) or, after the pipeline gave up, the fallback model in local-only mode.</summary>
public sealed record RegistrationOutcome(bool Registered, string ModelName, RegistrationResponse? Response, string? FailureReason)
{
    public static RegistrationOutcome Success(RegistrationResponse response) => new(true, response.ModelName, response, null);

    public static RegistrationOutcome LocalOnly(string fallbackModel, string reason) => new(false, fallbackModel, null, reason);
}
