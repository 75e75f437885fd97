namespace Sciot.Server.Storage;

/// <summary>How many stored results of a client used one model at one split layer.</summary>
public sealed record SplitCount(string ClientId, string ModelName, int Layer, long Count);
