namespace Sciot.Core.Imaging;

/// <summary>
/// One object found in a FOMO heat map: a blob of touching grid cells of one class. The center is in model
/// input pixels; FOMO predicts centroids only, so there is no box size.
/// </summary>
public sealed record Detection(int ClassIndex, string Label, float CenterX, float CenterY, float Confidence, int CellCount);
