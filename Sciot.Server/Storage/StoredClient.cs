namespace Sciot.Server.Storage;

public sealed record StoredClient(string ClientId, string ModelName, string? CapabilitiesJson, string? RemoteAddress,
    DateTimeOffset RegisteredAt, DateTimeOffset LastSeen, long InferenceCount);
