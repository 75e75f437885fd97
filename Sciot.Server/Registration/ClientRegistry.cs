using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Inference;
using Sciot.Server.Offloading;
using Sciot.Server.Storage;
using Sciot.Server.Telemetry;
using Sciot.Core.Telemetry;

namespace Sciot.Server.Registration;

/// <summary>
/// The clients the server knows, kept in memory and in SQLite. Assignments are sticky: a client that registers
/// again, also after a restart, keeps its model until an operator re-assigns or re-balances.
/// </summary>
public sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<string, ClientState> _clients = new(StringComparer.Ordinal);
    private readonly SciotDatabase _database;
    private readonly ModelRuntime _runtime;
    private readonly IModelAssignmentStrategy _strategy;
    private readonly AssignmentOptions _assignment;
    private readonly OffloadingOptionsSnapshot _offloading;
    private readonly ILogger<ClientRegistry> _logger;
    private readonly Lock _registrationLock = new();

    public ClientRegistry(SciotDatabase database, ModelRuntime runtime, IEnumerable<IModelAssignmentStrategy> strategies,
        IOptions<AssignmentOptions> assignment, IOptions<OffloadingOptions> offloading, ServerTelemetry telemetry, ILogger<ClientRegistry> logger)
    {
        _database = database;
        _runtime = runtime;
        _assignment = assignment.Value;
        _logger = logger;
        var o = offloading.Value;
        _offloading = new OffloadingOptionsSnapshot(o.EmaAlpha, o.VarianceWindow, o.VarianceThreshold);
        _strategy = strategies.FirstOrDefault(s => string.Equals(s.Name, _assignment.Strategy, StringComparison.OrdinalIgnoreCase))
                    ?? throw new OptionsValidationException(AssignmentOptions.Section, typeof(AssignmentOptions),
                        [$"unknown assignment strategy '{_assignment.Strategy}'; known: {string.Join(", ", strategies.Select(s => s.Name))}"]);
        Restore();
        telemetry.ObserveClientsPerModel(() => _clients.Values.GroupBy(c => c.ModelName)
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>(SciotTags.Model, g.Key))));
    }

    public string StrategyName => _strategy.Name;

    public OffloadingOptionsSnapshot OffloadingSnapshot => _offloading;

    public IReadOnlyCollection<ClientState> Clients => _clients.Values.OrderBy(c => c.ClientId, StringComparer.Ordinal).ToList();

    public bool TryGet(string clientId, out ClientState state) => _clients.TryGetValue(clientId, out state!);

    public (ClientState State, ModelAssignment Assignment, bool Returning) Register(string clientId, ClientCapabilities? capabilities, string? remoteAddress)
    {
        lock (_registrationLock)
        {
            var returning = _clients.TryGetValue(clientId, out var state);
            ModelAssignment assignment;
            if (state is not null && _runtime.TryGet(state.ModelName, out _))
            {
                assignment = new ModelAssignment(state.ModelName, "sticky: previous assignment kept");
            }
            else
            {
                assignment = Choose(clientId, capabilities);
                var model = _runtime.Get(assignment.ModelName);
                state ??= new ClientState(clientId, assignment.ModelName, model.LayerCount, _offloading);
                state.AssignModel(assignment.ModelName, model.LayerCount, _offloading);
                _clients[clientId] = state;
            }
            lock (state.Sync)
            {
                state.Capabilities = capabilities ?? state.Capabilities;
                state.RemoteAddress = remoteAddress;
                state.LastSeen = DateTimeOffset.UtcNow;
                Persist(state);
            }
            return (state, assignment, returning);
        }
    }

    /// <summary>Operator re-assignment; the client learns it from <c>model_name</c> in its next offloading reply.</summary>
    public void Reassign(ClientState state, string modelName)
    {
        var model = _runtime.Get(modelName);
        lock (state.Sync)
        {
            var changed = state.ModelName != modelName;
            state.AssignModel(modelName, model.LayerCount, _offloading);
            Persist(state);
            if (changed)
            {
                // The change dropped the in-memory device times; stored ones would come back at the next restart.
                _database.ResetStatistics(state.ClientId);
            }
        }
        _logger.LogInformation("Client {ClientId} re-assigned to {Model} by operator", state.ClientId, modelName);
    }

    /// <summary>Runs the configured strategy again for every client, as if all registered anew (load counted as assigned so far).</summary>
    public IReadOnlyList<(string ClientId, string From, string To)> Rebalance()
    {
        lock (_registrationLock)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var changes = new List<(string, string, string)>();
            foreach (var state in Clients)
            {
                var assignment = _strategy.Assign(new AssignmentContext(state.ClientId, state.Capabilities, Candidates(state.Capabilities), counts));
                counts[assignment.ModelName] = counts.GetValueOrDefault(assignment.ModelName) + 1;
                if (assignment.ModelName != state.ModelName)
                {
                    changes.Add((state.ClientId, state.ModelName, assignment.ModelName));
                    Reassign(state, assignment.ModelName);
                }
            }
            return changes;
        }
    }

    public void ResetStatistics()
    {
        foreach (var state in _clients.Values)
        {
            lock (state.Sync)
            {
                state.ResetStatistics(_runtime.Get(state.ModelName).LayerCount, _offloading);
                state.RefreshPending = true;
                state.RefreshReason = "statistics reset by operator";
            }
        }
        _database.ResetStatistics();
    }

    public int RequestRefreshAll(string reason)
    {
        foreach (var state in _clients.Values)
        {
            lock (state.Sync)
            {
                state.RefreshPending = true;
                state.RefreshReason = reason;
            }
        }
        return _clients.Count;
    }

    public void Persist(ClientState state) =>
        _database.UpsertClient(state.ToStored(state.Capabilities is null ? null : JsonSerializer.Serialize(state.Capabilities, SciotJson.Options)));

    /// <summary>A client that lists models it already holds gets one of those when the server can serve it.</summary>
    private ModelAssignment Choose(string clientId, ClientCapabilities? capabilities)
    {
        var active = DateTimeOffset.UtcNow.AddSeconds(-_assignment.ActiveWindowSeconds);
        var counts = _clients.Values.Where(c => c.LastSeen >= active).GroupBy(c => c.ModelName)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var assignment = _strategy.Assign(new AssignmentContext(clientId, capabilities, Candidates(capabilities), counts));
        _logger.LogInformation("Client {ClientId} assigned {Model} by {Strategy}: {Reason}", clientId, assignment.ModelName, _strategy.Name, assignment.Reason);
        return assignment;
    }

    private IReadOnlyList<string> Candidates(ClientCapabilities? capabilities)
    {
        var servable = _runtime.Catalog.Names.ToList();
        var held = capabilities?.Models?.Where(servable.Contains).ToList();
        return held is { Count: > 0 } ? held : servable;
    }

    private void Restore()
    {
        foreach (var stored in _database.LoadClients())
        {
            if (!_runtime.TryGet(stored.ModelName, out var model))
            {
                _logger.LogWarning("Client {ClientId} was assigned {Model}, which is no longer served; it will be re-assigned at registration",
                    stored.ClientId, stored.ModelName);
                continue;
            }
            var state = new ClientState(stored.ClientId, stored.ModelName, model.LayerCount, _offloading)
            {
                Capabilities = stored.CapabilitiesJson is null ? null : JsonSerializer.Deserialize<ClientCapabilities>(stored.CapabilitiesJson, SciotJson.Options),
                RemoteAddress = stored.RemoteAddress,
                RegisteredAt = stored.RegisteredAt,
                LastSeen = stored.LastSeen,
                InferenceCount = stored.InferenceCount,
            };
            foreach (var (layer, (seconds, samples)) in _database.LoadLayerStats(stored.ClientId, stored.ModelName))
            {
                if (layer < model.LayerCount)
                {
                    state.DeviceSeconds[layer].Update(seconds);
                    state.DeviceSamples[layer] = samples;
                }
            }
            _clients[stored.ClientId] = state;
        }
        _logger.LogInformation("Restored {Count} clients from {Database}", _clients.Count, _database.FilePath);
    }
}
