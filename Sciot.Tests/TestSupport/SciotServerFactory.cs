using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Sciot.Server.Hosting;
using Sciot.Server.Inference;

namespace Sciot.Tests.TestSupport;

/// <summary>
/// The edge server in-process: the repository's models, a data folder of its own (deleted on dispose unless the
/// caller owns it, as the persistence tests do), operator key <see cref="ApiKey"/>, one calibration run.
/// <see cref="StartOnRealPort"/> puts it on Kestrel (a real socket) for tests that need real HTTP (trace headers, restarts).
/// </summary>
public sealed class SciotServerFactory : WebApplicationFactory<ServerApp>
{
    public const string ApiKey = "test-key";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDataPath;
    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="dataPath">An existing folder to reuse (kept on dispose); null = a fresh temp folder (deleted on dispose).</param>
    /// <param name="settings">Extra or overriding configuration values, e.g. <c>Sciot:Assignment:Strategy</c>.</param>
    /// <param name="configure">Further changes to the host, e.g. test middleware or an in-memory trace exporter.</param>
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
            // Tests drive single clients far faster than any device (10,000 hostile bodies); the rate-limit tests turn it on.
            ["Sciot:Server:RateLimit:Enabled"] = "false",
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

    /// <summary>Starts Kestrel on <paramref name="port"/> (0 = any free port) and returns the base address.</summary>
    public Uri StartOnRealPort(int port = 0)
    {
        UseKestrel(port);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
    }

    public HttpClient CreateOperatorClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
