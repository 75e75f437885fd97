using StackExchange.Redis;

namespace Sciot.Server.Cluster;

/// <summary>
/// The cluster's shared store (Garnet) for what is not a grain's own state: the fleet index and the inference
/// records. Keys live under the Orleans service id, beside the grain states Orleans keeps there.
/// </summary>
public sealed class ClusterStore(IConnectionMultiplexer connection, string serviceId)
{
    public IDatabase Database { get; } = connection.GetDatabase();

    public RedisKey Key(string name) => $"sciot/{serviceId}/{name}";
}
