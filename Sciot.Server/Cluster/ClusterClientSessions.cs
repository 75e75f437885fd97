using Sciot.Core.Protocol.Json;
using Sciot.Server.Registration;
using Sciot.Server.Rejections;
using Sciot.Server.Sessions;

namespace Sciot.Server.Cluster;

/// <summary>
/// Client sessions held by Orleans across the server replicas: one <see cref="IClientSessionGrain"/> per client,
/// the <see cref="IFleetGrain"/> for assignment and the whole-fleet list. Any replica serves any client; operator
/// commands reach every client the fleet index holds, whichever replica its requests land on.
/// </summary>
public sealed class ClusterClientSessions(IGrainFactory grains, ModelAssigner assigner, TimeProvider time, ILogger<ClusterClientSessions> logger) : IClientSessions
{
    /// <summary>Fleet-wide calls fan out to this many grains at a time: enough to overlap the round trips, not a flood.</summary>
    private const int FanOut = 64;

    public string StrategyName => assigner.StrategyName;

    private IFleetGrain Fleet => grains.GetGrain<IFleetGrain>(0);

    private IClientSessionGrain Session(string clientId) => grains.GetGrain<IClientSessionGrain>(clientId);

    public Task<RegistrationOutcome> RegisterAsync(string clientId, ClientCapabilities? capabilities, string? remoteAddress) =>
        Session(clientId).Register(capabilities, remoteAddress, time.GetUtcNow());

    public Task<ClientSessionSnapshot?> FindAsync(string clientId) => Session(clientId).Find();

    public async Task<IReadOnlyList<ClientSessionSnapshot>> ListAsync()
    {
        var snapshots = await ForEveryClient(id => Session(id).Find());
        return snapshots.OfType<ClientSessionSnapshot>().OrderBy(s => s.ClientId, StringComparer.Ordinal).ToList();
    }

    public async Task RecordFrameAsync(string clientId, byte[] frame) => Known(clientId, await Session(clientId).RecordFrame(frame, time.GetUtcNow()));

    public async Task<byte[]?> LatestFrameAsync(string clientId)
    {
        _ = await FindAsync(clientId) ?? throw RequestRejectedException.UnknownClient(clientId);
        return await Session(clientId).LatestFrame();
    }

    public async Task<(OffloadingDecision Decision, bool Made)> DecideAsync(string clientId) =>
        (await Session(clientId).Decide() ?? throw RequestRejectedException.UnknownClient(clientId)).Unwrap();

    public async Task<ResultApplied> ApplyResultAsync(string clientId, ResultObservation result) =>
        (await Session(clientId).ApplyResult(result) ?? throw RequestRejectedException.UnknownClient(clientId)).Unwrap();

    public async Task<InferenceResultResponse?> ReplayAsync(string clientId, ResultKey key) =>
        (await Session(clientId).Replay(key) ?? throw RequestRejectedException.UnknownClient(clientId)).Unwrap();

    public async Task AcknowledgeAsync(string clientId, ResultKey key, InferenceResultResponse reply) =>
        Known(clientId, await Session(clientId).Acknowledge(key, reply));

    public async Task ForgetAsync(string clientId, ResultKey key) => Known(clientId, await Session(clientId).Forget(key));

    public async Task<bool> ReassignAsync(string clientId, string modelName)
    {
        var changed = await Session(clientId).Reassign(modelName) ?? throw RequestRejectedException.UnknownClient(clientId);
        await Fleet.Moved(clientId, modelName);
        logger.LogInformation("Client {ClientId} re-assigned to {Model} by operator", clientId, modelName);
        return changed;
    }

    public async Task ForceLayerAsync(string clientId, int? layer) =>
        (await Session(clientId).ForceLayer(layer) ?? throw RequestRejectedException.UnknownClient(clientId)).Unwrap();

    public async Task<int> RefreshAllAsync(string reason) => (await ForEveryClient(id => Session(id).RequestRefresh(reason))).Count(done => done);

    public async Task<IReadOnlyList<ModelChange>> RebalanceAsync()
    {
        var clients = (await ListAsync()).Select(s => (s.ClientId, s.ModelName, s.Capabilities)).ToList();
        var changes = await Fleet.PlanRebalance(clients);
        foreach (var change in changes)
        {
            await Session(change.ClientId).Reassign(change.To);
        }
        return changes;
    }

    public async Task ResetStatisticsAsync(string reason) => await ForEveryClient(id => Session(id).ResetStatistics(reason));

    private static void Known(string clientId, bool known)
    {
        if (!known)
        {
            throw RequestRejectedException.UnknownClient(clientId);
        }
    }

    private async Task<List<T>> ForEveryClient<T>(Func<string, Task<T>> call)
    {
        var ids = await Fleet.Clients();
        var results = new T[ids.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Length), new ParallelOptions { MaxDegreeOfParallelism = FanOut },
            async (i, _) => results[i] = await call(ids[i]));
        return results.ToList();
    }
}
