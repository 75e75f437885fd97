using Sciot.Core.Models.Building;

namespace Sciot.Core.Models.Weights;

/// <summary>
/// A model's committed trained weights (<c>models/&lt;name&gt;/weights.safetensors</c>, format
/// <see cref="Format"/> version <see cref="FormatVersion"/>) as the builder's weight source: every learned
/// initializer must be in the file with the graph's shape, and the file may hold nothing the graph does not use.
/// </summary>
public sealed class TrainedWeights : IWeightSource
{
    public const string FileName = "weights.safetensors";
    public const string Format = "sciot-weights";
    public const string FormatVersion = "1";

    private readonly Dictionary<string, StoredTensor> _tensors;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private TrainedWeights(string path, SafeTensorsFile file)
    {
        Path = path;
        File = file;
        _tensors = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string Path { get; }

    public SafeTensorsFile File { get; }

    public static TrainedWeights Load(string path, string modelName)
    {
        var file = SafeTensorsFile.Read(path);
        if (!file.Metadata.TryGetValue("format", out var format) || format != Format
            || !file.Metadata.TryGetValue("format_version", out var version) || version != FormatVersion)
        {
            throw new ModelLoadException(path, $"metadata must say format '{Format}' version '{FormatVersion}'");
        }
        if (!file.Metadata.TryGetValue("model", out var model) || model != modelName)
        {
            throw new ModelLoadException(path, $"weights are for model '{model}', not '{modelName}'");
        }
        return new TrainedWeights(path, file);
    }

    /// <summary>Metadata of a weights file written by the trainer, in the order the reader checks it.</summary>
    public static Dictionary<string, string> Metadata(string modelName, string datasetVersion) => new(StringComparer.Ordinal)
    {
        ["format"] = Format,
        ["format_version"] = FormatVersion,
        ["model"] = modelName,
        ["dataset_version"] = datasetVersion,
    };

    public float[] Get(string name, long[] dims, WeightRole role)
    {
        if (!_tensors.TryGetValue(name, out var tensor))
        {
            throw new ModelLoadException(Path, $"tensor '{name}' ({role}) is missing");
        }
        if (!tensor.Shape.SequenceEqual(dims))
        {
            throw new ModelLoadException(Path,
                $"tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}], the graph needs [{string.Join(", ", dims)}]");
        }
        _used.Add(name);
        return tensor.Data;
    }

    /// <summary>A tensor the graph never asked for means the file belongs to another architecture.</summary>
    public void EnsureAllUsed()
    {
        var unused = _tensors.Keys.Where(n => !_used.Contains(n)).ToList();
        if (unused.Count > 0)
        {
            throw new ModelLoadException(Path, $"{unused.Count} tensors are not in the graph, e.g. '{unused[0]}'");
        }
    }
}
