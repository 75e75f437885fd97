using Sciot.Core.Models;
using Sciot.Core.Models.Building;
using Sciot.Core.Models.Weights;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Models;

public sealed class TrainedWeightsTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("sciot-weights-").FullName;

    [Fact]
    public void Safetensors_round_trip_keeps_names_shapes_values_and_metadata()
    {
        var file = new SafeTensorsFile(TrainedWeights.Metadata("m", "d1"),
            [new StoredTensor("a/kernel", [2, 1, 1, 1], [1.5f, -2f]), new StoredTensor("b", [3], [0f, float.Epsilon, 7f])]);
        var bytes = file.ToBytes();

        Assert.Equal(0, (bytes.Length - 20) % 4);
        Assert.Equal(0UL, BitConverter.ToUInt64(bytes, 0) % 8); // header padded so the data is aligned
        var read = SafeTensorsFile.Parse(bytes, "x");
        Assert.Equal(["a/kernel", "b"], read.Tensors.Select(t => t.Name));
        Assert.Equal([2L, 1, 1, 1], read.Tensors[0].Shape);
        Assert.Equal([0f, float.Epsilon, 7f], read.Tensors[1].Data);
        Assert.Equal("d1", read.Metadata["dataset_version"]);
        Assert.Equal(bytes, read.ToBytes());
    }

    [Fact]
    public void Truncated_file_is_refused_naming_the_file()
    {
        var path = Path.Combine(_temp, "w.safetensors");
        var bytes = new SafeTensorsFile(TrainedWeights.Metadata("m", "d"), [new StoredTensor("t", [4], [1, 2, 3, 4])]).ToBytes();
        File.WriteAllBytes(path, bytes[..^4]);

        var e = Assert.Throws<ModelLoadException>(() => SafeTensorsFile.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("tensor 't'", e.Message);
    }

    [Fact]
    public void Weights_of_another_model_or_shape_are_refused()
    {
        var path = Path.Combine(_temp, TrainedWeights.FileName);
        File.WriteAllBytes(path, new SafeTensorsFile(TrainedWeights.Metadata("other", "d"), []).ToBytes());
        Assert.Contains("not 'fomo_96x96'", Assert.Throws<ModelLoadException>(() => TrainedWeights.Load(path, ShippedModels.Fomo)).Message);

        File.WriteAllBytes(path, new SafeTensorsFile(TrainedWeights.Metadata(ShippedModels.MobileNetLite, "d"),
            [new StoredTensor("conv1/kernel", [8, 3, 3, 4], new float[288])]).ToBytes());
        var weights = TrainedWeights.Load(path, ShippedModels.MobileNetLite);
        var e = Assert.Throws<ModelLoadException>(() => ShippedModels.Blueprint(ShippedModels.MobileNetLite, weights));
        Assert.Contains("'conv1/kernel' has shape [8, 3, 3, 4], the graph needs [8, 3, 3, 3]", e.Message);
    }

    [Fact]
    public void Committed_weights_hold_exactly_the_graph_initializers()
    {
        foreach (var name in ShippedModels.Names)
        {
            var weights = TrainedWeights.Load(Path.Combine(RepoPaths.Models, name, TrainedWeights.FileName), name);
            ShippedModels.Blueprint(name, weights);
            weights.EnsureAllUsed();
        }
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
