using Sciot.Core.Models;
using Sciot.Core.Models.Building;

namespace Sciot.Client.Connectivity;

/// <summary>
/// The device's models: those it ships with (bundled) and those it downloaded (cache). A download is accepted only if
/// its sha256 equals the version the server announced; anything else is rejected and never cached.
/// </summary>
public sealed class ModelStore(string bundledPath, string cachePath, ILogger logger)
{
    private readonly SemaphoreSlim _downloads = new(1, 1);

    public string CachePath { get; } = cachePath;

    /// <summary>A local copy of <paramref name="name"/>, with the wanted version when one is given.</summary>
    public ModelPackage? TryLoadLocal(string name, string? version = null)
    {
        foreach (var root in new[] { CachePath, bundledPath })
        {
            var folder = Path.Combine(root, name);
            if (!File.Exists(Path.Combine(folder, ModelPackage.ManifestFileName)))
            {
                continue;
            }
            try
            {
                var package = ModelPackage.Load(folder);
                if (version is null || string.Equals(package.Manifest.Version, version, StringComparison.OrdinalIgnoreCase))
                {
                    return package;
                }
            }
            catch (ModelLoadException e)
            {
                logger.LogWarning("Ignoring local model {Model}: {Problem}", name, e.Message);
            }
        }
        return null;
    }

    /// <summary>Held models, for the registration's <c>capabilities.models</c>.</summary>
    public IReadOnlyList<string> LocalModelNames() =>
        new[] { CachePath, bundledPath }.Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(d => File.Exists(Path.Combine(d, ModelPackage.ManifestFileName)))
            .Select(Path.GetFileName).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();

    public async Task<ModelPackage> AcquireAsync(string name, string version, ServerApi api, CancellationToken cancellationToken)
    {
        if (TryLoadLocal(name, version) is { } local)
        {
            return local;
        }
        await _downloads.WaitAsync(cancellationToken);
        try
        {
            if (TryLoadLocal(name, version) is { } raced)
            {
                return raced;
            }
            var manifest = await api.GetManifestAsync(name, cancellationToken);
            if (!string.Equals(manifest.Version, version, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelLoadException($"/api/models/{name}", $"server manifest version {manifest.Version} differs from the assigned version {version}");
            }
            var (bytes, headerSha) = await api.DownloadModelAsync(name, cancellationToken);
            var actual = ShippedModels.Sha256Hex(bytes);
            if (headerSha is not null && !string.Equals(headerSha, version, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelLoadException($"/api/models/{name}/onnx", $"{ServerApi.Sha256Header} {headerSha} differs from the assigned version {version}");
            }
            var folder = Path.Combine(CachePath, name);
            var package = ModelPackage.FromBytes(folder, manifest, bytes, $"/api/models/{name}/onnx (sha256 {actual})");
            Directory.CreateDirectory(folder);
            WriteAtomically(Path.Combine(folder, ModelPackage.OnnxFileName), bytes);
            WriteAtomically(Path.Combine(folder, ModelPackage.ManifestFileName), System.Text.Encoding.UTF8.GetBytes(ShippedModels.SerializeManifest(manifest)));
            logger.LogInformation("Downloaded model {Model} ({Bytes} bytes, sha256 {Version}) into {Folder}", name, bytes.Length, version, folder);
            return package;
        }
        finally
        {
            _downloads.Release();
        }
    }

    /// <summary>Replicas may share the cache folder: write aside, then move, so no reader sees half a file.</summary>
    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
