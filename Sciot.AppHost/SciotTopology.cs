using Microsoft.Extensions.Configuration;

/// <summary>
/// The AppHost's settings, from appsettings.json, environment or command line (<c>-- --clients 6 --server-port 8001</c>).
/// </summary>
internal sealed record SciotTopology(
    int Clients,
    IReadOnlyList<string> FixedClients,
    int ServerPort,
    string ServerBind,
    string ServerData,
    string Strategy,
    string DeviceProfile,
    bool RealTime,
    double LinkBandwidth,
    int CycleIntervalMs,
    string OperatorApiKey)
{
    public static SciotTopology From(IConfiguration config)
    {
        var topology = new SciotTopology(
            config.GetValue("clients", 3),
            config.GetSection("fixed-clients").Get<string[]>() ?? [],
            config.GetValue("server-port", 8000),
            config["server-bind"] is { Length: > 0 } bind ? bind : "localhost",
            config["server-data"] ?? "",
            config["strategy"] is { Length: > 0 } strategy ? strategy : "default",
            config["device-profile"] is { Length: > 0 } profile ? profile : "esp32-s3",
            config.GetValue("real-time", true),
            config.GetValue("link-bandwidth", 0.0),
            config.GetValue("cycle-interval-ms", 1000),
            // A key per run unless one is configured: the dashboard commands know it, nobody else needs to.
            config["operator-api-key"] is { Length: > 0 } key ? key : Guid.NewGuid().ToString("N"));
        if (topology.Clients is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException("clients", topology.Clients, "clients must be in 0..100");
        }
        if (topology.ServerPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException("server-port", topology.ServerPort, "server-port must be in 0..65535");
        }
        return topology;
    }

    /// <summary>Resource names allow lowercase letters, digits and hyphens: device_01 becomes client-device-01.</summary>
    public static string ResourceName(string clientId) =>
        "client-" + new string(clientId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
