using Sciot.Core.Imaging;
using Sciot.Core.Models;
using Sciot.Core.Tensors;

namespace Sciot.Core.Evaluation;

/// <summary>Scenes of the demo dataset generated from a seed, with the model input tensor of each.</summary>
public sealed class HeldOutSet
{
    private HeldOutSet(int seed, IReadOnlyList<SyntheticScene> scenes, IReadOnlyList<NamedTensor> inputs)
    {
        Seed = seed;
        Scenes = scenes;
        Inputs = inputs;
    }

    public int Seed { get; }

    public IReadOnlyList<SyntheticScene> Scenes { get; }

    public IReadOnlyList<NamedTensor> Inputs { get; }

    public int Count => Scenes.Count;

    public static HeldOutSet Generate(ModelManifest manifest, int images, int seed)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(images);
        var input = manifest.Input;
        var generator = new SyntheticSceneGenerator(input.Width, input.Height, manifest.Classes, seed);
        var scenes = new SyntheticScene[images];
        var inputs = new NamedTensor[images];
        for (var i = 0; i < images; i++)
        {
            scenes[i] = generator.Next();
            inputs[i] = InputTensorizer.ToTensor(scenes[i].Image, input.Name, input.Scale, input.Offset);
        }
        return new HeldOutSet(seed, scenes, inputs);
    }
}
