using Microsoft.Extensions.Configuration;

/// <summary>
/// The AppHost's settings, from appsettings.json, environment or command line (<c>-- --clients 6 --server-port 8001</c>).
/// </summary>
internal sealed record SciotTopology(
    int Clients,
    IReadOnlyList<string> FixedClients,
    int SpareClients,
    int ServerPort,
    int ServerReplicas,
    string ServerBind,
    string ServerData,
    string Strategy,
    string DeviceProfile,
    bool RealTime,
    double LinkBandwidth,
    int CycleIntervalMs,
    string OperatorApiKey,
    string LinkProfile,
    IReadOnlyList<DemoDevice> DemoDevices,
    string EmaAlpha)
{
    public static SciotTopology From(IConfiguration config)
    {
        var topology = new SciotTopology(
            config.GetValue("clients", 3),
            config.GetSection("fixed-clients").Get<string[]>() ?? [],
            config.GetValue("spare-clients", 3),
            config.GetValue("server-port", 8000),
            config.GetValue("server-replicas", 1),
            config["server-bind"] is { Length: > 0 } bind ? bind : "localhost",
            config["server-data"] ?? "",
            config["strategy"] is { Length: > 0 } strategy ? strategy : "capability",
            config["device-profile"] is { Length: > 0 } profile ? profile : "esp32-s3",
            config.GetValue("real-time", true),
            config.GetValue("link-bandwidth", 0.0),
            config.GetValue("cycle-interval-ms", 1000),
            // A key per run unless one is configured: the dashboard commands know it, nobody else needs to.
            config["operator-api-key"] is { Length: > 0 } key ? key : Guid.NewGuid().ToString("N"),
            config["link-profile"] ?? "",
            // demo=false leaves the named demo cameras out (a configuration array cannot be emptied from the command line).
            config.GetValue("demo", true) ? config.GetSection("demo-devices").Get<DemoDevice[]>() ?? [] : [],
            config["ema-alpha"] ?? "");
        if (topology.DemoDevices.FirstOrDefault(d => string.IsNullOrWhiteSpace(d.Id) || string.IsNullOrWhiteSpace(d.Link)) is { } incomplete)
        {
            throw new ArgumentException($"demo-devices: every entry needs an id and a link profile (got id '{incomplete.Id}', link '{incomplete.Link}')");
        }
        if (topology.Clients is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException("clients", topology.Clients, "clients must be in 0..100");
        }
        if (topology.SpareClients is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException("spare-clients", topology.SpareClients, "spare-clients must be in 0..100");
        }
        if (topology.ServerPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException("server-port", topology.ServerPort, "server-port must be in 0..65535");
        }
        if (topology.ServerReplicas is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException("server-replicas", topology.ServerReplicas, "server-replicas must be in 1..16");
        }
        return topology;
    }

    /// <summary>More than one server replica: the replicas form an Orleans cluster on Garnet.</summary>
    public bool Clustered => ServerReplicas > 1;

    /// <summary>Resource names allow lowercase letters, digits and hyphens: device_01 becomes client-device-01.</summary>
    public static string ResourceName(string clientId) =>
        "client-" + new string(clientId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}

/// <summary>
/// A named demo camera: its own resource with a fixed ID and link profile; <see cref="Model"/>, when set, becomes a
/// <c>capability</c> rule pinning that ID to the model, so the demo's fleet runs both models deterministically.
/// </summary>
internal sealed record DemoDevice
{
    public string Id { get; init; } = "";
    public string Link { get; init; } = "";
    public string? Model { get; init; }
}
