using Aspire.Hosting.ApplicationModel;

var builder = DistributedApplication.CreateBuilder(args);
var topology = SciotTopology.From(builder.Configuration);

// The edge server: stable port (8000 as in the reference) on a configurable address, so physical devices and
// scripts can reach it while the AppHost runs.
var server = builder.AddProject<Projects.Sciot_Server>("server", launchProfileName: "http")
    .WithEndpoint("http", endpoint =>
    {
        endpoint.Port = topology.ServerPort;
        endpoint.TargetPort = topology.ServerPort;
        endpoint.TargetHost = topology.ServerBind;
        endpoint.IsProxied = false;
    })
    .WithEnvironment("Sciot__Server__OperatorApiKey", topology.OperatorApiKey)
    .WithEnvironment("Sciot__Assignment__Strategy", topology.Strategy)
    .WithHttpHealthCheck("/health")
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

// Devices: N replicas with random IDs, plus one resource per fixed ID (the seed's device_01, mobile_02, ...).
var clients = builder.AddProject<Projects.Sciot_Client>("client")
    .WithReplicas(topology.Clients);
foreach (var device in new[] { clients }.Concat(topology.FixedClients.Select(id =>
             builder.AddProject<Projects.Sciot_Client>(SciotTopology.ResourceName(id)).WithEnvironment("Sciot__Device__ClientId", id))))
{
    device.WithReference(server)
        .WaitFor(server)
        .WithEnvironment("Sciot__Device__ServerUrl", "http://server")
        .WithEnvironment("Sciot__Device__Emulation__Profile", topology.DeviceProfile)
        .WithEnvironment("Sciot__Device__Emulation__RealTime", topology.RealTime.ToString())
        .WithEnvironment("Sciot__Device__Link__BandwidthBytesPerSecond", topology.LinkBandwidth.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithEnvironment("Sciot__Device__CycleIntervalMs", topology.CycleIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

builder.Build().Run();

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
