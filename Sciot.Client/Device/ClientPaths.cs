using Sciot.Core.Models;

namespace Sciot.Client.Device;

/// <summary>Where the device finds its bundled models and caches downloads when the options leave them empty.</summary>
public static class ClientPaths
{
    public static string BundledModels(DeviceOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.BundledModelsPath))
        {
            return Path.GetFullPath(options.BundledModelsPath);
        }
        return ModelCatalog.FindFolderAbove(AppContext.BaseDirectory, Directory.GetCurrentDirectory())
               ?? Path.Combine(AppContext.BaseDirectory, "models");
    }

    public static string Cache(DeviceOptions options) =>
        string.IsNullOrWhiteSpace(options.CachePath) ? Path.Combine(Path.GetTempPath(), "sciot-client-cache") : Path.GetFullPath(options.CachePath);
}
