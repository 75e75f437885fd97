namespace Sciot.Core.Imaging;

public sealed record SyntheticScene(RgbImage Image, IReadOnlyList<GroundTruthObject> Objects);
