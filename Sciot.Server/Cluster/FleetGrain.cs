using System.Globalization;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Registration;
using StackExchange.Redis;

namespace Sciot.Server.Cluster;

/// <summary>
/// The fleet index, in memory for counting and in a Garnet hash (one field per client: model and last seen) for
/// fail-over: a re-activated fleet grain reads the hash back. One field is written per change, so 10,000 clients
/// cost 10,000 small writes, not rewrites of the whole index.
/// </summary>
public sealed class FleetGrain(ModelAssigner assigner, ClusterStore store, ILogger<FleetGrain> logger) : Grain, IFleetGrain
{
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);

    private RedisKey IndexKey => store.Key("fleet");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in await store.Database.HashGetAllAsync(IndexKey))
        {
            _members[entry.Name.ToString()] = Member.Parse(entry.Value.ToString());
        }
        logger.LogInformation("Fleet index loaded: {Count} clients", _members.Count);
    }

    public async Task<ModelAssignment> Assign(string clientId, ClientCapabilities? capabilities, DateTimeOffset now)
    {
        var since = now - assigner.ActiveWindow;
        var assignment = assigner.Choose(clientId, capabilities, () => _members.Where(m => m.Key != clientId && m.Value.LastSeen >= since)
            .GroupBy(m => m.Value.ModelName).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
        await Store(clientId, new Member(assignment.ModelName, now));
        return assignment;
    }

    public Task Seen(string clientId, string modelName, DateTimeOffset lastSeen) => Store(clientId, new Member(modelName, lastSeen));

    public Task Moved(string clientId, string modelName) =>
        Store(clientId, new Member(modelName, _members.TryGetValue(clientId, out var member) ? member.LastSeen : DateTimeOffset.UtcNow));

    public Task<string[]> Clients() => Task.FromResult(_members.Keys.Order(StringComparer.Ordinal).ToArray());

    public async Task<IReadOnlyList<ModelChange>> PlanRebalance(IReadOnlyList<(string ClientId, string ModelName, ClientCapabilities? Capabilities)> clients)
    {
        var changes = assigner.PlanRebalance(clients);
        foreach (var change in changes)
        {
            await Moved(change.ClientId, change.To);
        }
        return changes;
    }

    private async Task Store(string clientId, Member member)
    {
        _members[clientId] = member;
        await store.Database.HashSetAsync(IndexKey, clientId, member.ToString());
    }

    private sealed record Member(string ModelName, DateTimeOffset LastSeen)
    {
        public override string ToString() => $"{ModelName}\t{LastSeen.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

        public static Member Parse(string stored)
        {
            var parts = stored.Split('\t');
            return new Member(parts[0], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)));
        }
    }
}
