namespace Sciot.Server.Sessions;

/// <summary>
/// The layer a client runs up to in its next cycle (-1: every layer on the device), for which model, and why; when the
/// planner chose it, the estimated seconds of every candidate cut (the cost curve), else null.
/// </summary>
public sealed record OffloadingDecision(int Layer, string ModelName, string Reason, IReadOnlyList<double>? EstimatedSeconds = null);
