namespace Sciot.Core.Imaging;

/// <summary>The winning class of a classifier output; <see cref="Score"/> is a probability.</summary>
public sealed record Classification(string Label, int Index, float Score);
