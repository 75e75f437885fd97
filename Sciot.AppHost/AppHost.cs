using Aspire.Hosting.ApplicationModel;

var builder = DistributedApplication.CreateBuilder(args);
var topology = SciotTopology.From(builder.Configuration);

// The edge server: stable port (8000 as in the reference) on a configurable address, so physical devices and
// scripts can reach it while the AppHost runs. Several replicas share that port through Aspire's proxy, each
// listening on a port of its own behind it.
var server = builder.AddProject<Projects.Sciot_Server>("server", launchProfileName: "http")
    .WithEndpoint("http", endpoint =>
    {
        endpoint.Port = topology.ServerPort;
        endpoint.TargetPort = topology.Clustered ? null : topology.ServerPort;
        endpoint.TargetHost = topology.ServerBind;
        endpoint.IsProxied = topology.Clustered;
    })
    .WithEnvironment("Sciot__Server__OperatorApiKey", topology.OperatorApiKey)
    .WithEnvironment("Sciot__Assignment__Strategy", topology.Strategy)
    .WithHttpHealthCheck("/health")
    // The server's URL in the dashboard opens the live fleet page served at /.
    .WithUrlForEndpoint("http", url => url.DisplayText = "Fleet page")
    .WithHttpCommand("/api/operator/refresh", "Refresh device times", commandName: "refresh-device-times",
        commandOptions: Operator("Every client runs all layers locally once (-1) and reports fresh layer times", "ArrowSync"))
    .WithHttpCommand("/api/operator/rebalance", "Rebalance models", commandName: "rebalance-models",
        commandOptions: Operator("Re-run the assignment strategy for every client", "ArrowSwap"))
    .WithHttpCommand("/api/operator/reset_statistics", "Reset statistics", commandName: "reset-statistics",
        commandOptions: Operator("Forget device-time averages and bandwidth estimates", "Delete"));
if (topology.ServerData.Length > 0)
{
    server.WithEnvironment("Sciot__Server__DataPath", topology.ServerData);
}
if (topology.EmaAlpha.Length > 0)
{
    server.WithEnvironment("Sciot__Offloading__EmaAlpha", topology.EmaAlpha);
}
foreach (var (demo, i) in topology.DemoDevices.Where(d => d.Model is { Length: > 0 }).Select((d, i) => (d, i)))
{
    server.WithEnvironment($"Sciot__Assignment__Rules__{i}__ClientIdPattern", $"^{System.Text.RegularExpressions.Regex.Escape(demo.Id)}$")
        .WithEnvironment($"Sciot__Assignment__Rules__{i}__Model", demo.Model!);
}

// Scale-out: every replica is an Orleans silo; membership and client sessions live in Garnet, whose files sit in
// the servers' data folder (by default the server project's data/, as the embedded SQLite database does).
if (topology.Clustered)
{
    var dataFolder = topology.ServerData.Length > 0
        ? topology.ServerData
        : Path.Combine(Path.GetDirectoryName(new Projects.Sciot_Server().ProjectPath)!, "data");
    var garnet = builder.AddGarnetServer("garnet", Path.Combine(dataFolder, "garnet"));
    // A fixed service id: grain state is stored under it, so sessions outlive an AppHost restart.
    var orleans = builder.AddOrleans("cluster")
        .WithServiceId("sciot")
        .WithClustering(garnet)
        .WithGrainStorage("sessions", garnet);
    server.WithReplicas(topology.ServerReplicas)
        .WithReference(orleans)
        .WaitFor(garnet);
}

// Devices: N replicas with random IDs, one resource per fixed ID (the seed's device_01, mobile_02, ...), the named
// demo cameras, each on its own link profile, and spares with random IDs that wait for the operator (Start on the
// spare, or the server's Add client / Remove client).
var clients = builder.AddProject<Projects.Sciot_Client>("client")
    .WithReplicas(topology.Clients);
var spares = Enumerable.Range(1, topology.SpareClients)
    .Select(i => builder.AddProject<Projects.Sciot_Client>(ClientScaling.SpareName(i)).WithExplicitStart())
    .ToList();
server.WithClientScaling(spares);
var devices = new[] { (clients, topology.LinkProfile) }
    .Concat(topology.FixedClients.Select(id => (ClientWithId(id), topology.LinkProfile)))
    .Concat(topology.DemoDevices.Select(d => (ClientWithId(d.Id), d.Link)))
    .Concat(spares.Select(spare => (spare, topology.LinkProfile)));
foreach (var (device, link) in devices)
{
    device.WithEnvironment("Sciot__Device__Link__Profile", link);
    if (topology.LinkBandwidth > 0)
    {
        // An explicit cap overrides the profile's bandwidth.
        device.WithEnvironment("Sciot__Device__Link__BandwidthBytesPerSecond", topology.LinkBandwidth.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
    device.WithReference(server)
        .WaitFor(server)
        .WithEnvironment("Sciot__Device__ServerUrl", "http://server")
        .WithEnvironment("Sciot__Device__Emulation__Profile", topology.DeviceProfile)
        .WithEnvironment("Sciot__Device__Emulation__RealTime", topology.RealTime.ToString())
        .WithEnvironment("Sciot__Device__CycleIntervalMs", topology.CycleIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
    if (topology.Clustered)
    {
        // Aspire's proxy balances connections, not requests: a device that keeps one connection would talk to one replica only.
        device.WithEnvironment("Sciot__Device__ConnectionLifetimeSeconds", "1");
    }
}

builder.Build().Run();

IResourceBuilder<ProjectResource> ClientWithId(string id) =>
    builder.AddProject<Projects.Sciot_Client>(SciotTopology.ResourceName(id)).WithEnvironment("Sciot__Device__ClientId", id);

HttpCommandOptions Operator(string description, string icon) => new()
{
    Description = description,
    IconName = icon,
    Method = HttpMethod.Post,
    PrepareRequest = context =>
    {
        context.Request.Headers.Add("X-Api-Key", topology.OperatorApiKey);
        return Task.CompletedTask;
    },
};
