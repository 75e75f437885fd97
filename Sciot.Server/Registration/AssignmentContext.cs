using Sciot.Core.Protocol.Json;

namespace Sciot.Server.Registration;

/// <summary>What a strategy may look at: the client, the servable models, and how many active clients each has.</summary>
public sealed record AssignmentContext(
    string ClientId,
    ClientCapabilities? Capabilities,
    IReadOnlyList<string> Candidates,
    IReadOnlyDictionary<string, int> ActiveClientsPerModel);

/// <summary>A strategy's choice and why, as shown to the client and in the logs.</summary>
public sealed record ModelAssignment(string ModelName, string Reason);
