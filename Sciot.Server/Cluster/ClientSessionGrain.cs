using Sciot.Core.Protocol.Json;
using Sciot.Server.Inference;
using Sciot.Server.Rejections;
using Sciot.Server.Sessions;

namespace Sciot.Server.Cluster;

/// <summary>
/// One client's <see cref="ClientSession"/> in the cluster. The grain keeps the state and decides; the tail
/// inference runs on whichever replica received the request. Every change an acknowledged request made is written to
/// grain storage (Garnet) before the call returns, so a replica's death loses no assignment and no learnt statistic.
/// Orleans runs one call at a time per grain, so the session's lock is never contended.
/// </summary>
public sealed class ClientSessionGrain(
    [PersistentState("session", ClusterHosting.SessionStorage)] IPersistentState<ClientSessionRecord> stored,
    ModelRuntime runtime,
    SessionSettings settings,
    ILogger<ClientSessionGrain> logger) : Grain, IClientSessionGrain
{
    /// <summary>The fleet index needs a client's last-seen time only to the active window's precision.</summary>
    private static readonly TimeSpan SeenReportInterval = TimeSpan.FromSeconds(15);

    private ClientSession? _session;
    private DateTimeOffset _seenReported;

    private string ClientId => this.GetPrimaryKeyString();

    private IFleetGrain Fleet => GrainFactory.GetGrain<IFleetGrain>(0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (stored.RecordExists)
        {
            if (runtime.TryGet(stored.State.ModelName, out var model))
            {
                _session = stored.State.ToSession(ClientId, model.LayerCount, settings);
                _seenReported = stored.State.LastSeen;
            }
            else
            {
                logger.LogWarning("Client {ClientId} was assigned {Model}, which is no longer served; it will be re-assigned at registration",
                    ClientId, stored.State.ModelName);
            }
        }
        return Task.CompletedTask;
    }

    public async Task<RegistrationOutcome> Register(ClientCapabilities? capabilities, string? remoteAddress, DateTimeOffset now)
    {
        var returning = stored.RecordExists;
        string reason;
        if (_session is not null && runtime.TryGet(_session.ModelName, out _))
        {
            reason = "sticky: previous assignment kept";
        }
        else
        {
            var assignment = await Fleet.Assign(ClientId, capabilities, now);
            logger.LogInformation("Client {ClientId} assigned {Model}: {Reason}", ClientId, assignment.ModelName, assignment.Reason);
            var layers = runtime.Get(assignment.ModelName).LayerCount;
            _session ??= ClientSession.New(ClientId, assignment.ModelName, layers, now, settings);
            _session.Assign(assignment.ModelName, layers);
            reason = assignment.Reason;
        }
        _session.Register(capabilities, remoteAddress, now);
        return new RegistrationOutcome(await Save(), reason, returning);
    }

    public Task<ClientSessionSnapshot?> Find() => Task.FromResult(_session?.Snapshot());

    public Task<bool> RecordFrame(byte[] frame, DateTimeOffset now)
    {
        if (_session is null)
        {
            return Task.FromResult(false);
        }
        _session.RecordFrame(frame, now);
        ReportSeen(now);
        return Task.FromResult(true);
    }

    public Task<byte[]?> LatestFrame() => Task.FromResult(_session?.LatestFrame());

    public Task<GrainOutcome<(OffloadingDecision Decision, bool Made)>?> Decide() =>
        Task.FromResult(_session is null ? null : GrainOutcome<(OffloadingDecision, bool)>.Of(() =>
            _session.Decide(runtime.Get(_session.ModelName).Costs(), Random.Shared.NextDouble())));

    public Task<GrainOutcome<InferenceResultResponse?>?> Replay(ResultKey key) =>
        Task.FromResult(_session is null ? null : GrainOutcome<InferenceResultResponse?>.Of(() => _session.Replay(key)));

    /// <summary>
    /// The reply is stored with the session before the device gets it: a retry that lands on another silo after
    /// this one died is answered with it, not applied a second time.
    /// </summary>
    public async Task<bool> Acknowledge(ResultKey key, InferenceResultResponse reply)
    {
        if (_session is null)
        {
            return false;
        }
        _session.Acknowledge(key, reply);
        await Save();
        return true;
    }

    public Task<bool> Forget(ResultKey key)
    {
        _session?.Forget(key);
        return Task.FromResult(_session is not null);
    }

    public async Task<GrainOutcome<ResultApplied>?> ApplyResult(ResultObservation result)
    {
        if (_session is null)
        {
            return null;
        }
        var outcome = GrainOutcome<ResultApplied>.Of(() =>
        {
            if (!runtime.TryGet(result.ModelName, out var model))
            {
                throw new RequestRejectedException(RejectionKind.Conflict, "Model not served", $"model {result.ModelName} is not served", "model_name");
            }
            return _session.Apply(result, model.Costs(), Random.Shared.NextDouble());
        });
        if (outcome.Value is { } applied)
        {
            await Save();
            ReportSeen(applied.LastSeen);
        }
        return outcome;
    }

    public async Task<bool?> Reassign(string modelName)
    {
        if (_session is null)
        {
            return null;
        }
        var changed = _session.Assign(modelName, runtime.Get(modelName).LayerCount);
        await Save();
        return changed;
    }

    public async Task<GrainOutcome<bool>?> ForceLayer(int? layer)
    {
        if (_session is null)
        {
            return null;
        }
        var outcome = GrainOutcome<bool>.Of(() =>
        {
            _session.ForceLayer(layer);
            return true;
        });
        if (outcome.Kind is null)
        {
            await Save();
        }
        return outcome;
    }

    public Task<bool> RequestRefresh(string reason) => Change(session => session.RequestRefresh(reason));

    public Task<bool> ResetStatistics(string reason) => Change(session => session.ResetStatistics(reason));

    /// <summary>An operator intent on a registered client, stored before it is acknowledged; false for an unknown client.</summary>
    private async Task<bool> Change(Action<ClientSession> intent)
    {
        if (_session is null)
        {
            return false;
        }
        intent(_session);
        await Save();
        return true;
    }

    private async Task<ClientSessionSnapshot> Save()
    {
        var snapshot = _session!.Snapshot();
        stored.State = ClientSessionRecord.Of(snapshot, _session.AcknowledgedReplies());
        await stored.WriteStateAsync();
        return snapshot;
    }

    /// <summary>Tells the fleet index now and then that the client is active (for load-aware assignment), without waiting.</summary>
    private void ReportSeen(DateTimeOffset now)
    {
        if (now - _seenReported >= SeenReportInterval)
        {
            _seenReported = now;
            _ = Fleet.Seen(ClientId, _session!.ModelName, now);
        }
    }
}
