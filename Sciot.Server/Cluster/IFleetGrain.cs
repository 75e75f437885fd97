using Sciot.Core.Protocol.Json;
using Sciot.Server.Registration;

namespace Sciot.Server.Cluster;

/// <summary>
/// The whole fleet's index (client, model, last seen), one grain for the cluster: assignments are made here, one
/// at a time, so load-aware strategies count every replica's clients and two registrations never read the same counts.
/// </summary>
public interface IFleetGrain : IGrainWithIntegerKey
{
    Task<ModelAssignment> Assign(string clientId, ClientCapabilities? capabilities, DateTimeOffset now);

    [Orleans.Concurrency.OneWay]
    Task Seen(string clientId, string modelName, DateTimeOffset lastSeen);

    Task Moved(string clientId, string modelName);

    Task<string[]> Clients();

    Task<IReadOnlyList<ModelChange>> PlanRebalance(IReadOnlyList<(string ClientId, string ModelName, ClientCapabilities? Capabilities)> clients);
}
