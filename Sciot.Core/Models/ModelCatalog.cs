namespace Sciot.Core.Models;

/// <summary>The models folder: every sub-folder with a model.json is a model, loaded and verified up front.</summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelPackage> _models;

    private ModelCatalog(string folder, Dictionary<string, ModelPackage> models)
    {
        Folder = folder;
        _models = models;
    }

    public string Folder { get; }

    public IReadOnlyCollection<ModelPackage> Models => _models.Values;

    public IEnumerable<string> Names => _models.Keys.Order(StringComparer.Ordinal);

    public static ModelCatalog Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException(folder, "models folder does not exist");
        }
        var models = new Dictionary<string, ModelPackage>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(dir, ModelPackage.ManifestFileName)) && !File.Exists(Path.Combine(dir, ModelPackage.OnnxFileName)))
            {
                continue;
            }
            var package = ModelPackage.Load(dir);
            models[package.Name] = package;
        }
        return new ModelCatalog(folder, models);
    }

    /// <summary>
    /// The nearest <c>models</c> folder at or above any of <paramref name="starts"/>, tried in order; null if none. This is
    /// how the server and the client find the repository's models when run from a checkout.
    /// </summary>
    public static string? FindFolderAbove(params string[] starts)
    {
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    public bool TryGet(string name, out ModelPackage package) => _models.TryGetValue(name, out package!);

    public ModelPackage Get(string name) => _models.TryGetValue(name, out var package)
        ? package
        : throw new KeyNotFoundException($"model '{name}' is not in {Folder}; available: {string.Join(", ", Names)}");
}
