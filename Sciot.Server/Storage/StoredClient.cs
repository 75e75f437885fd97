namespace Sciot.Server.Storage;

/// <summary>A client row: its sticky assignment, what it said about itself, activity, and its statistics as JSON (one row per client).</summary>
public sealed record StoredClient(string ClientId, string ModelName, string? CapabilitiesJson, string? RemoteAddress,
    DateTimeOffset RegisteredAt, DateTimeOffset LastSeen, long InferenceCount, string? StatisticsJson);
