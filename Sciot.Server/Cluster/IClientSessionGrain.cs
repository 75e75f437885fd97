using Sciot.Core.Protocol.Json;
using Sciot.Server.Sessions;

namespace Sciot.Server.Cluster;

/// <summary>One client's session in the cluster, keyed by client id. Calls about a client that never registered return null.</summary>
public interface IClientSessionGrain : IGrainWithStringKey
{
    Task<RegistrationOutcome> Register(ClientCapabilities? capabilities, string? remoteAddress, DateTimeOffset now);

    Task<ClientSessionSnapshot?> Find();

    Task<bool> RecordFrame(byte[] frame, DateTimeOffset now);

    Task<byte[]?> LatestFrame();

    Task<GrainOutcome<(OffloadingDecision Decision, bool Made)>?> Decide();

    Task<GrainOutcome<InferenceResultResponse?>?> Replay(ResultKey key);

    Task<GrainOutcome<ResultApplied>?> ApplyResult(ResultObservation result);

    Task<bool> Acknowledge(ResultKey key, InferenceResultResponse reply);

    Task<bool> Forget(ResultKey key);

    Task<bool?> Reassign(string modelName);

    Task<GrainOutcome<bool>?> ForceLayer(int? layer);

    Task<bool> RequestRefresh(string reason);

    Task<bool> ResetStatistics(string reason);
}
