using Microsoft.Extensions.Options;
using Sciot.Core.Models;
using Sciot.Server.Hosting;
using Sciot.Server.Offloading;

namespace Sciot.Server.Inference;

/// <summary>Every model of the catalog, loaded once at start; a missing or corrupt model file stops the server with the file named.</summary>
public sealed class ModelRuntime : IDisposable
{
    private readonly Dictionary<string, ServedModel> _models;

    public ModelRuntime(IOptions<ServerOptions> server, IOptions<OffloadingOptions> offloading, IHostEnvironment environment, ILogger<ModelRuntime> logger)
    {
        var folder = server.Value.ResolveModelsPath(environment.ContentRootPath);
        Catalog = ModelCatalog.Load(folder);
        if (!Catalog.Models.Any())
        {
            throw new ModelLoadException(folder, "no model folders (model.json + model.onnx) found");
        }
        _models = Catalog.Models.ToDictionary(p => p.Name, p => new ServedModel(p, offloading.Value.EmaAlpha), StringComparer.Ordinal);
        MaxResultBytes = _models.Values.Max(m => m.MaxResultBytes);
        logger.LogInformation("Loaded {Count} models from {Folder}: {Names}", _models.Count, folder, string.Join(", ", Catalog.Names));
    }

    public ModelCatalog Catalog { get; }
    public IReadOnlyCollection<ServedModel> Models => _models.Values;

    /// <summary>The body limit for a result whose client is not known before the body is read (reference firmware).</summary>
    public long MaxResultBytes { get; }

    public bool TryGet(string name, out ServedModel model) => _models.TryGetValue(name, out model!);

    public ServedModel Get(string name) => _models[name];

    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }
    }
}
