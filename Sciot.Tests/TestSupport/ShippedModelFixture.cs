using Sciot.Core.Models;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;

namespace Sciot.Tests.TestSupport;

/// <summary>The catalog in models/ with one SplitModel per model, shared by a test class (sessions are costly to create).</summary>
public sealed class ShippedModelFixture : IDisposable
{
    private readonly Dictionary<string, SplitModel> _split = new();

    public ShippedModelFixture()
    {
        Catalog = ModelCatalog.Load(RepoPaths.Models);
        foreach (var package in Catalog.Models)
        {
            _split[package.Name] = new SplitModel(package.Graph);
        }
    }

    public ModelCatalog Catalog { get; }

    public SplitModel Split(string name) => _split[name];

    public static NamedTensor RandomInput(ModelGraph graph, int seed)
    {
        var name = graph.InputNames[0];
        var shape = graph.ShapeOf(name);
        var random = new Random(seed);
        var data = new float[NamedTensor.ElementCountOf(shape)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextDouble();
        }
        return new NamedTensor(name, shape, data);
    }

    public static float MaxAbsDiff(IReadOnlyList<NamedTensor> a, IReadOnlyList<NamedTensor> b)
    {
        Assert.Equal(a.Select(t => t.Name), b.Select(t => t.Name));
        var max = 0f;
        for (var t = 0; t < a.Count; t++)
        {
            Assert.Equal(a[t].Shape, b[t].Shape);
            for (var i = 0; i < a[t].Data.Length; i++)
            {
                max = Math.Max(max, Math.Abs(a[t].Data[i] - b[t].Data[i]));
            }
        }
        return max;
    }

    public void Dispose()
    {
        foreach (var split in _split.Values)
        {
            split.Dispose();
        }
    }
}
