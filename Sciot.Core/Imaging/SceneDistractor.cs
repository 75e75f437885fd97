namespace Sciot.Core.Imaging;

/// <summary>A shape drawn into a synthetic scene that is background (no class), e.g. a triangle or a line.</summary>
public sealed record SceneDistractor(string Shape, float CenterX, float CenterY);
