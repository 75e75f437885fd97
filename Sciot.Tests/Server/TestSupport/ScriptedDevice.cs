using Sciot.Core.Imaging;
using Sciot.Core.Models;
using Sciot.Core.Offloading;
using Sciot.Core.Protocol;
using Sciot.Core.Splitting;
using Sciot.Core.Tensors;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.TestSupport;

/// <summary>
/// The device side of the protocol, built on Sciot.Core alone: runs layers 0..k of a shipped model on a synthetic
/// frame and encodes what a real client would post (v1 reference layout or v2), with the ESP32-S3 layer times.
/// </summary>
public sealed class ScriptedDevice : IDisposable
{
    public const string Fomo = "fomo_96x96";
    public const string MobileNetLite = "mobilenet_lite";

    private readonly Dictionary<string, SplitModel> _split = new(StringComparer.Ordinal);

    public ScriptedDevice()
    {
        Catalog = ModelCatalog.Load(RepoPaths.Models);
        foreach (var package in Catalog.Models)
        {
            _split[package.Name] = new SplitModel(package.Graph);
        }
        Esp32LayerSeconds = DeviceProfile.FromLayerCsv(RepoPaths.ReferenceLayersCsv).LayerSeconds!.ToArray();
    }

    public ModelCatalog Catalog { get; }

    /// <summary>Per-layer times of the reference ESP32-S3 (fomo_96x96 has exactly these 59 layers).</summary>
    public double[] Esp32LayerSeconds { get; }

    public ModelPackage Package(string model) => Catalog.Get(model);

    public SplitModel Split(string model) => _split[model];

    /// <summary>A synthetic camera frame (circles and squares) as the model's normalized NCHW input.</summary>
    public NamedTensor Frame(string model, int seed)
    {
        var manifest = Package(model).Manifest;
        var scene = new SyntheticSceneGenerator(manifest.Input.Width, manifest.Input.Height, manifest.Classes, seed).Next();
        return InputTensorizer.ToTensor(scene.Image, manifest.Input.Name, manifest.Input.Scale, manifest.Input.Offset);
    }

    /// <summary>Layer times for layers 0..k: the ESP32-S3 table where it has the layer, a fixed 10 ms otherwise.</summary>
    public float[] LayerTimes(int k) =>
        Enumerable.Range(0, k + 1).Select(i => (float)(i < Esp32LayerSeconds.Length ? Esp32LayerSeconds[i] : 0.01)).ToArray();

    public IReadOnlyList<NamedTensor> Head(string model, int k, NamedTensor frame) => Split(model).RunHead(k, [frame]);

    public ResultPayloadV2 V2Payload(string model, int k, NamedTensor frame, uint messageId = 1, float[]? layerTimes = null) => new()
    {
        ModelName = model,
        ModelVersion = Package(model).Manifest.Version,
        MessageId = messageId,
        OffloadingLayerIndex = k,
        Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        LayerTimesSeconds = layerTimes ?? LayerTimes(k),
        Tensors = Head(model, k, frame),
    };

    public byte[] V2(string model, int k, NamedTensor frame, uint messageId = 1, float[]? layerTimes = null) =>
        V2Payload(model, k, frame, messageId, layerTimes).Encode();

    /// <summary>The reference layout: the single tensor live after k, NHWC.</summary>
    /// <exception cref="InvalidOperationException">More than one tensor is live after k (v1 cannot carry it).</exception>
    public byte[] V1(string model, int k, NamedTensor frame, string deviceId, uint messageId = 1)
    {
        var live = Head(model, k, frame);
        if (live.Count != 1)
        {
            throw new InvalidOperationException($"cut {k} of {model} has {live.Count} live tensors; v1 carries one");
        }
        var tensor = live[0];
        var nhwc = TensorLayout.NchwToNhwc(tensor.Data, tensor.Shape[1], tensor.Shape[2], tensor.Shape[3]);
        return new ResultPayloadV1(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, deviceId, messageId, k, nhwc, LayerTimes(k)).Encode();
    }

    /// <summary>What the server should answer: the whole model run here, decoded with the manifest's classes.</summary>
    public IReadOnlyList<Detection> LocalDetections(string model, NamedTensor frame, float threshold = FomoDecoder.DefaultThreshold)
    {
        var manifest = Package(model).Manifest;
        var output = Split(model).RunFull([frame])[0];
        return FomoDecoder.Decode(output, manifest.Input.Width, manifest.Input.Height, manifest.Classes, threshold);
    }

    public void Dispose()
    {
        foreach (var split in _split.Values)
        {
            split.Dispose();
        }
    }
}
