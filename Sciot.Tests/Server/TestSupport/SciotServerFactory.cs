using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Sciot.Server.Inference;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.TestSupport;

/// <summary>
/// The edge server in memory: the repository's models, a data folder of its own (deleted on dispose unless the
/// caller owns it, as the persistence tests do), operator key <see cref="ApiKey"/>, one calibration run.
/// </summary>
public sealed class SciotServerFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-key";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDataPath;
    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="dataPath">An existing folder to reuse (kept on dispose); null = a fresh temp folder (deleted on dispose).</param>
    /// <param name="settings">Extra or overriding configuration values, e.g. <c>Sciot:Assignment:Strategy</c>.</param>
    /// <param name="configure">Further changes to the host, e.g. test middleware.</param>
    public SciotServerFactory(string? dataPath = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        _ownsDataPath = dataPath is null;
        DataPath = dataPath ?? NewTempFolder();
        _settings = new Dictionary<string, string?>
        {
            ["Sciot:Server:DataPath"] = DataPath,
            ["Sciot:Server:ModelsPath"] = RepoPaths.Models,
            ["Sciot:Server:OperatorApiKey"] = ApiKey,
            ["Sciot:Offloading:CalibrationRuns"] = "1",
            // The server logs every registration and decision; the test output stays readable without them.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataPath { get; }

    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "sciot-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Waits (bounded) until the edge calibration has measured every model, without polling.</summary>
    public async Task WaitForCalibrationAsync(TimeSpan? timeout = null)
    {
        var calibration = Services.GetRequiredService<EdgeCalibrationService>();
        var task = calibration.ExecuteTask ?? throw new InvalidOperationException("edge calibration did not start");
        await task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        _configure?.Invoke(builder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataPath)
        {
            DeleteFolder(DataPath);
        }
    }

    public static void DeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temp folder left behind must not fail a test run; the OS cleans its temp directory.
        }
    }
}
