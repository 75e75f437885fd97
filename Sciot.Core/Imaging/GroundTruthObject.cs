namespace Sciot.Core.Imaging;

/// <summary>An object drawn into a synthetic scene; the center is that of its bounding box, in input pixels.</summary>
public sealed record GroundTruthObject(int ClassIndex, string ClassName, float CenterX, float CenterY, int Size);
