using Sciot.Core.Protocol.Json;
using Sciot.Server.Registration;

namespace Sciot.Server.Sessions;

/// <summary>
/// Where client sessions live: in this process (default, SQLite-backed) or in a cluster. Callers speak in intents;
/// a call about an unknown client throws <see cref="Rejections.RequestRejectedException"/> of kind UnknownClient.
/// Whole-fleet operations act on every client the store holds, whichever replica serves them.
/// </summary>
public interface IClientSessions
{
    string StrategyName { get; }

    /// <summary>Registers a client or welcomes it back; assignment is sticky while the model is still served.</summary>
    Task<RegistrationOutcome> RegisterAsync(string clientId, ClientCapabilities? capabilities, string? remoteAddress);

    /// <summary>The client's session, or null if it is not registered.</summary>
    Task<ClientSessionSnapshot?> FindAsync(string clientId);

    /// <summary>Every registered client, ordered by ID.</summary>
    Task<IReadOnlyList<ClientSessionSnapshot>> ListAsync();

    Task RecordFrameAsync(string clientId, byte[] frame);

    /// <summary>The latest frame of the client (RGB565), or null if it has uploaded none.</summary>
    Task<byte[]?> LatestFrameAsync(string clientId);

    /// <summary>The decision for the client's coming cycle; <c>Made</c> is false when it was already made with the last result.</summary>
    Task<(OffloadingDecision Decision, bool Made)> DecideAsync(string clientId);

    /// <summary>The reply to an upload that was applied and stored before (a retry), or null for a new one.</summary>
    Task<InferenceResultResponse?> ReplayAsync(string clientId, ResultKey key);

    /// <summary>Applies an accepted result to the client's statistics and decides its next cycle.</summary>
    Task<ResultApplied> ApplyResultAsync(string clientId, ResultObservation result);

    /// <summary>The applied result's record is stored: its reply answers a retry from now on.</summary>
    Task AcknowledgeAsync(string clientId, ResultKey key, InferenceResultResponse reply);

    /// <summary>The applied result's record could not be stored: a retry is applied anew.</summary>
    Task ForgetAsync(string clientId, ResultKey key);

    /// <summary>Operator re-assignment; the client follows <c>model_name</c> in its next decision.</summary>
    Task<bool> ReassignAsync(string clientId, string modelName);

    Task ForceLayerAsync(string clientId, int? layer);

    /// <summary>Schedules a local-inference refresh for every client; returns how many.</summary>
    Task<int> RefreshAllAsync(string reason);

    Task<IReadOnlyList<ModelChange>> RebalanceAsync();

    Task ResetStatisticsAsync(string reason);
}
