using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Sciot.Server.Hosting;

namespace Sciot.Tests.TestSupport;

/// <summary>
/// The edge server in-process, on its own temporary data folder, with the repository's models and an operator key.
/// <see cref="StartOnRealPort"/> puts it on Kestrel (a real socket) for tests that need real HTTP (trace headers, restarts).
/// </summary>
public sealed class SciotServerFactory : WebApplicationFactory<ServerApp>
{
    public const string OperatorKey = "test-key";
    private readonly bool _ownsDataFolder;
    private readonly Action<IServiceCollection>? _services;

    public SciotServerFactory(string? dataFolder = null, Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null)
    {
        _ownsDataFolder = dataFolder is null;
        DataFolder = dataFolder ?? Directory.CreateTempSubdirectory("sciot-server-").FullName;
        _services = services;
        Settings = new Dictionary<string, string?>
        {
            ["Sciot:Server:DataPath"] = DataFolder,
            ["Sciot:Server:ModelsPath"] = RepoPaths.Models,
            ["Sciot:Server:OperatorApiKey"] = OperatorKey,
            ["Sciot:Offloading:CalibrationRuns"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }
    }

    public string DataFolder { get; }

    public Dictionary<string, string?> Settings { get; }

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
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataFolder && Directory.Exists(DataFolder))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(DataFolder, recursive: true);
        }
    }
}
