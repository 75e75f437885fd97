namespace Sciot.Server.Sessions;

/// <summary>
/// What applying a result changed: the estimated transfer time of its tensors, the decision for the client's next
/// cycle (made here, once), a refresh the variance detector asked for (null if none), and the state to store.
/// </summary>
public sealed record ResultApplied(
    double TransferSeconds,
    OffloadingDecision Next,
    string? RefreshTriggered,
    ClientStatistics Statistics,
    long InferenceCount,
    DateTimeOffset LastSeen);
