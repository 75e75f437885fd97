using System.Collections.Concurrent;
using Sciot.Core.Models;
using Sciot.Core.Splitting;

namespace Sciot.Client.Device;

/// <summary>
/// One split runtime (ONNX Runtime sessions) per model version for all virtual devices of this process: 200 devices
/// in load mode share two sets of sessions instead of building 200. The runtimes are thread-safe; they live as long
/// as the cache.
/// </summary>
public sealed class DeviceModelCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DeviceModel>> _models = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _models.Count;

    public DeviceModel Get(ModelPackage package) =>
        _models.GetOrAdd(package.Manifest.Version, _ => new Lazy<DeviceModel>(() => new DeviceModel(package))).Value;

    public void Dispose()
    {
        foreach (var model in _models.Values.Where(m => m.IsValueCreated))
        {
            model.Value.Dispose();
        }
        _models.Clear();
    }
}

/// <summary>A model ready to run on the device: one split runtime, timed layer by layer.</summary>
public sealed class DeviceModel : IDisposable
{
    private readonly SplitModel _split;

    public DeviceModel(ModelPackage package)
    {
        Package = package;
        _split = new SplitModel(package.Graph);
        Layerwise = new LayerwiseHeadRunner(_split);
    }

    public ModelPackage Package { get; }
    public LayerwiseHeadRunner Layerwise { get; }

    public void Dispose() => _split.Dispose();
}
