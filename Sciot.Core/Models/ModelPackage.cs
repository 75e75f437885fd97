using System.Text.Json;
using Onnx;
using Sciot.Core.Models.Building;
using Sciot.Core.Splitting;

namespace Sciot.Core.Models;

/// <summary>One model folder, loaded and checked: manifest, the ONNX bytes whose hash is the version, and its layer graph.</summary>
public sealed class ModelPackage
{
    public const string OnnxFileName = "model.onnx";
    public const string ManifestFileName = "model.json";

    private ModelPackage(string folder, ModelManifest manifest, byte[] onnx, ModelGraph graph)
    {
        Folder = folder;
        Manifest = manifest;
        OnnxBytes = onnx;
        Graph = graph;
    }

    public string Folder { get; }
    public ModelManifest Manifest { get; }
    public byte[] OnnxBytes { get; }
    public ModelGraph Graph { get; }
    public string Name => Manifest.Name;
    public string OnnxPath => Path.Combine(Folder, OnnxFileName);

    public static ModelPackage Load(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFileName);
        var onnxPath = Path.Combine(folder, OnnxFileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelLoadException(manifestPath, "manifest file is missing");
        }
        if (!File.Exists(onnxPath))
        {
            throw new ModelLoadException(onnxPath, "ONNX model file is missing");
        }
        var manifest = ReadManifest(manifestPath);
        return FromBytes(folder, manifest, File.ReadAllBytes(onnxPath), onnxPath);
    }

    /// <summary>Checks downloaded or in-memory bytes against a manifest (hash, parse, layer nodes).</summary>
    public static ModelPackage FromBytes(string folder, ModelManifest manifest, byte[] onnx, string onnxPathForErrors)
    {
        var hash = ShippedModels.Sha256Hex(onnx);
        if (!string.Equals(hash, manifest.Version, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException(onnxPathForErrors, $"sha256 {hash} does not match manifest version {manifest.Version} (corrupt or replaced file)");
        }
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or InvalidOperationException)
        {
            throw new ModelLoadException(onnxPathForErrors, "not a valid ONNX protobuf: " + e.Message, e);
        }
        try
        {
            return new ModelPackage(folder, manifest, onnx, ModelGraph.Create(proto, manifest.Layers));
        }
        catch (ArgumentException e)
        {
            throw new ModelLoadException(onnxPathForErrors, "graph does not match manifest: " + e.Message, e);
        }
    }

    public static ModelManifest ReadManifest(string manifestPath)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath), ModelManifest.JsonOptions)
                           ?? throw new ModelLoadException(manifestPath, "manifest is empty");
            if (manifest.Layers.Count == 0)
            {
                throw new ModelLoadException(manifestPath, "manifest lists no layers");
            }
            return manifest;
        }
        catch (JsonException e)
        {
            throw new ModelLoadException(manifestPath, $"invalid manifest JSON ({e.Path}): {e.Message}", e);
        }
    }
}
