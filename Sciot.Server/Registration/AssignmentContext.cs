using Sciot.Core.Protocol.Json;

namespace Sciot.Server.Registration;

/// <summary>
/// What a strategy may look at: the client, the servable models, and how many active clients each has. The counts are
/// taken on first use: only load-aware strategies read them, and counting walks the whole fleet (with evicted sessions,
/// a database query) at every registration.
/// </summary>
public sealed class AssignmentContext(
    string clientId,
    ClientCapabilities? capabilities,
    IReadOnlyList<string> candidates,
    Func<IReadOnlyDictionary<string, int>> countActiveClientsPerModel)
{
    private IReadOnlyDictionary<string, int>? _activeClientsPerModel;

    /// <summary>Counts known already (a rebalance counts as it goes).</summary>
    public AssignmentContext(string clientId, ClientCapabilities? capabilities, IReadOnlyList<string> candidates,
        IReadOnlyDictionary<string, int> activeClientsPerModel)
        : this(clientId, capabilities, candidates, () => activeClientsPerModel)
    {
    }

    public string ClientId => clientId;

    public ClientCapabilities? Capabilities => capabilities;

    public IReadOnlyList<string> Candidates => candidates;

    public IReadOnlyDictionary<string, int> ActiveClientsPerModel => _activeClientsPerModel ??= countActiveClientsPerModel();
}

/// <summary>A strategy's choice and why, as shown to the client and in the logs.</summary>
public sealed record ModelAssignment(string ModelName, string Reason);
