using Sciot.Core.Models;
using Sciot.Server.Storage;
using System.ComponentModel.DataAnnotations;

namespace Sciot.Server.Hosting;

/// <summary><c>Sciot:Server</c>: where models and data live, the operator key, request limits.</summary>
public sealed class ServerOptions
{
    public const string Section = "Sciot:Server";

    /// <summary>Folder of model sub-folders; empty = the nearest <c>models</c> folder above the app (the repository's).</summary>
    public string ModelsPath { get; set; } = "";

    /// <summary>Folder for the SQLite database (created on first start).</summary>
    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>When set, operator endpoints require it in the <c>X-Api-Key</c> header.</summary>
    public string OperatorApiKey { get; set; } = "";

    [Range(1024, 256L * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>What an acknowledged result survives: <c>ProcessCrash</c> (no fsync per commit) or <c>PowerLoss</c>.</summary>
    [EnumDataType(typeof(CommitDurability))]
    public CommitDurability CommitDurability { get; set; } = CommitDurability.ProcessCrash;

    public string ResolveModelsPath(string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(ModelsPath))
        {
            return Path.GetFullPath(ModelsPath, contentRoot);
        }
        return ModelCatalog.FindFolderAbove(contentRoot) ?? Path.Combine(contentRoot, "models");
    }
}
