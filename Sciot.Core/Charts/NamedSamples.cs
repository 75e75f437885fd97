namespace Sciot.Core.Charts;

/// <summary>A labelled set of observations (e.g. the end-to-end seconds of one scenario).</summary>
public sealed record NamedSamples(string Label, IReadOnlyList<double> Values);
