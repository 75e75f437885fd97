using Sciot.Core.Imaging;

namespace Sciot.Client.Frames;

/// <summary>A camera frame at the model's input size, with ground truth when the source knows it (synthetic scenes).</summary>
public sealed record Frame(RgbImage Image, IReadOnlyList<GroundTruthObject>? Truth, string Source);
