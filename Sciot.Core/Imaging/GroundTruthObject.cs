namespace Sciot.Core.Imaging;

/// <summary>
/// An object drawn into a synthetic scene: its centroid in input pixels, its size (twice its radius; for shapes
/// other than a circle the radius of a circle of equal area) and the cell of the FOMO grid its centroid falls in.
/// </summary>
public sealed record GroundTruthObject(int ClassIndex, string ClassName, float CenterX, float CenterY, int Size, int CellX, int CellY);
