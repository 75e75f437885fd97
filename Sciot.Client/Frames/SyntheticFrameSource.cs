using Sciot.Core.Imaging;
using Sciot.Core.Models.Building;

namespace Sciot.Client.Frames;

/// <summary>Scenes of the demo dataset with ground truth, so the device can score what the server predicts.</summary>
public sealed class SyntheticFrameSource(int seed) : IFrameSource
{
    private SyntheticSceneGenerator? _generator;
    private int _count;

    public Frame Next(int width, int height)
    {
        if (_generator is null || _generator.Width != width || _generator.Height != height)
        {
            _generator = new SyntheticSceneGenerator(width, height, ShippedModels.DemoClasses, seed);
        }
        var scene = _generator.Next();
        return new Frame(scene.Image, scene.Objects, $"synthetic #{++_count}");
    }
}
