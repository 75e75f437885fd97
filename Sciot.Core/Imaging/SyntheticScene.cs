namespace Sciot.Core.Imaging;

/// <summary>A generated frame, the objects to detect in it and the distractor shapes that belong to the background.</summary>
public sealed record SyntheticScene(RgbImage Image, IReadOnlyList<GroundTruthObject> Objects, IReadOnlyList<SceneDistractor> Distractors);
