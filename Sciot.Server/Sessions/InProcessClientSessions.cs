using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sciot.Core.Protocol.Json;
using Sciot.Core.Telemetry;
using Sciot.Server.Inference;
using Sciot.Server.Registration;
using Sciot.Server.Rejections;
using Sciot.Server.Storage;
using Sciot.Server.Telemetry;

namespace Sciot.Server.Sessions;

/// <summary>
/// Sessions of one server process, in SQLite and, while they are in use, in memory: a registration or an operator
/// change is written before it is answered; a result's statistics are written with its record
/// (<see cref="InferenceRecorder"/>). A session without a request for <see cref="SessionMemoryOptions.IdleEviction"/>
/// leaves memory (<see cref="EvictIdle"/>) and is read back on the client's next request with its model, statistics
/// and counts. Every call holds a lease on the session's memory entry; eviction takes only entries with no lease, no
/// result between apply and store, and no operator state that is not stored (a forced layer), so it never races a
/// request in flight. A pending refresh is carried over to the reloaded session.
/// </summary>
public sealed class InProcessClientSessions : IClientSessions
{
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _refreshOnReload = new(StringComparer.Ordinal);

    /// <summary>
    /// The acknowledged replies of sessions evicted soon after their last result (SQLite keeps no replies): a retry of
    /// such a result that arrives after the eviction is answered again instead of applied twice. Kept for
    /// <see cref="RetryWindow"/> only, so an evicted fleet costs no memory for them.
    /// </summary>
    private readonly ConcurrentDictionary<string, (DateTimeOffset EvictedAt, IReadOnlyList<(ResultKey Key, InferenceResultResponse Reply)> Replies)> _repliesOnReload =
        new(StringComparer.Ordinal);

    /// <summary>Longer than a device's whole retry of one request (the client's total request timeout is 12 s).</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(2);
    private readonly SciotDatabase _database;
    private readonly ModelRuntime _runtime;
    private readonly ModelAssigner _assigner;
    private readonly SessionSettings _settings;
    private readonly TimeSpan? _idleEviction;
    private readonly TimeProvider _time;
    private readonly ILogger<InProcessClientSessions> _logger;
    private long _evicted;
    private long _reloaded;

    // Whether any stored client may be missing from memory (left out at start, or evicted): until then the
    // whole-fleet reads need not touch the database.
    private volatile bool _someOnlyStored;

    // Registrations and rebalancing read the whole fleet's load to assign; one at a time keeps the counts true.
    private readonly Lock _assignmentLock = new();

    public InProcessClientSessions(SciotDatabase database, ModelRuntime runtime, ModelAssigner assigner, SessionSettings settings,
        IOptions<SessionMemoryOptions> memory, ServerTelemetry telemetry, TimeProvider time, ILogger<InProcessClientSessions> logger)
    {
        _database = database;
        _runtime = runtime;
        _assigner = assigner;
        _settings = settings;
        _idleEviction = memory.Value.IdleEviction;
        _time = time;
        _logger = logger;
        Restore();
        telemetry.ObserveClientsPerModel(() => _database.CountClientsPerModel()
            .Select(c => new Measurement<int>(c.Count, new KeyValuePair<string, object?>(SciotTags.Model, c.ModelName))));
        telemetry.ObserveSessionsInMemory(() => InMemoryCount, () => EvictedCount);
    }

    public string StrategyName => _assigner.StrategyName;

    /// <summary>Sessions held in memory now (the rest are only in SQLite).</summary>
    public int InMemoryCount => _sessions.Count;

    /// <summary>Sessions evicted from memory since start.</summary>
    public long EvictedCount => Interlocked.Read(ref _evicted);

    /// <summary>Evicted sessions read back from SQLite by a request since start.</summary>
    public long ReloadedCount => Interlocked.Read(ref _reloaded);

    public Task<RegistrationOutcome> RegisterAsync(string clientId, ClientCapabilities? capabilities, string? remoteAddress)
    {
        var now = _time.GetUtcNow();
        lock (_assignmentLock)
        {
            var entry = Acquire(clientId);
            try
            {
                var session = entry?.Session;
                var returning = session is not null;
                string reason;
                if (session is not null && _runtime.TryGet(session.ModelName, out _))
                {
                    reason = "sticky: previous assignment kept";
                }
                else
                {
                    var assignment = _assigner.Choose(clientId, capabilities, () => ActiveClientsPerModel(now));
                    _logger.LogInformation("Client {ClientId} assigned {Model} by {Strategy}: {Reason}", clientId, assignment.ModelName, StrategyName, assignment.Reason);
                    var layers = _runtime.Get(assignment.ModelName).LayerCount;
                    if (session is null)
                    {
                        // Not in memory and not in the database (or stored with a model no longer served, in which case
                        // it starts anew), and registrations run one at a time: nobody else adds it.
                        session = ClientSession.New(clientId, assignment.ModelName, layers, now, _settings);
                        entry = new Entry(session, now) { Users = 1 };
                        _sessions[clientId] = entry;
                    }
                    session.Assign(assignment.ModelName, layers);
                    reason = assignment.Reason;
                }
                session.Register(capabilities, remoteAddress, now);
                var snapshot = Persist(session);
                return Task.FromResult(new RegistrationOutcome(snapshot, reason, returning));
            }
            finally
            {
                entry?.Release();
            }
        }
    }

    public Task<ClientSessionSnapshot?> FindAsync(string clientId)
    {
        var entry = Acquire(clientId);
        if (entry is null)
        {
            return Task.FromResult<ClientSessionSnapshot?>(null);
        }
        try
        {
            return Task.FromResult<ClientSessionSnapshot?>(entry.Session.Snapshot());
        }
        finally
        {
            entry.Release();
        }
    }

    /// <summary>Every stored client: those in memory as they are now, the others as stored (without reading them into memory).</summary>
    public Task<IReadOnlyList<ClientSessionSnapshot>> ListAsync() => Task.FromResult(All());

    private IReadOnlyList<ClientSessionSnapshot> All()
    {
        var all = new SortedDictionary<string, ClientSessionSnapshot>(StringComparer.Ordinal);
        if (_someOnlyStored)
        {
            // The database first: a session evicted meanwhile is in it, one added meanwhile is in memory.
            foreach (var stored in _database.LoadClients())
            {
                if (!_sessions.ContainsKey(stored.ClientId) && FromStore(stored) is { } session)
                {
                    all[stored.ClientId] = session.Snapshot();
                }
            }
        }
        foreach (var entry in _sessions.Values)
        {
            var snapshot = entry.Session.Snapshot();
            all[snapshot.ClientId] = snapshot;
        }
        return all.Values.ToList();
    }

    public Task RecordFrameAsync(string clientId, byte[] frame) => Use(clientId, s => s.RecordFrame(frame, _time.GetUtcNow()));

    public Task<byte[]?> LatestFrameAsync(string clientId) => Task.FromResult(Use(clientId, s => s.LatestFrame()));

    public Task<(OffloadingDecision Decision, bool Made)> DecideAsync(string clientId) =>
        Task.FromResult(Use(clientId, s => s.Decide(_runtime.Get(s.ModelName).Costs(), Random.Shared.NextDouble())));

    public Task<ResultApplied> ApplyResultAsync(string clientId, ResultObservation result) => Task.FromResult(Use(clientId, (s, entry) =>
    {
        if (!_runtime.TryGet(result.ModelName, out var model))
        {
            throw new RequestRejectedException(RejectionKind.Conflict, "Model not served", $"model {result.ModelName} is not served", "model_name");
        }
        var applied = s.Apply(result, model.Costs(), Random.Shared.NextDouble());
        // Stays in memory until the record is stored (Acknowledge) or given up (Forget).
        Interlocked.Increment(ref entry.ResultsInFlight);
        return applied;
    }));

    public Task<InferenceResultResponse?> ReplayAsync(string clientId, ResultKey key) => Task.FromResult(Use(clientId, s => s.Replay(key)));

    public Task AcknowledgeAsync(string clientId, ResultKey key, InferenceResultResponse reply) => Settle(clientId, s => s.Acknowledge(key, reply));

    public Task ForgetAsync(string clientId, ResultKey key) => Settle(clientId, s => s.Forget(key));

    public Task<bool> ReassignAsync(string clientId, string modelName) => Task.FromResult(Use(clientId, session =>
    {
        var changed = session.Assign(modelName, _runtime.Get(modelName).LayerCount);
        Persist(session);
        _logger.LogInformation("Client {ClientId} re-assigned to {Model} by operator", clientId, modelName);
        return changed;
    }));

    public Task ForceLayerAsync(string clientId, int? layer) => Use(clientId, s => s.ForceLayer(layer));

    /// <summary>Sessions in memory are asked now; those only in the database when they come back.</summary>
    public Task<int> RefreshAllAsync(string reason)
    {
        var ids = new HashSet<string>(_sessions.Keys, StringComparer.Ordinal);
        if (_someOnlyStored)
        {
            // Marked before the sessions in memory are asked: one reloaded in between finds its mark.
            foreach (var id in _database.ClientIds())
            {
                _refreshOnReload[id] = reason;
                ids.Add(id);
            }
        }
        foreach (var id in _sessions.Keys)
        {
            if (TryUse(id, s => s.RequestRefresh(reason)))
            {
                _refreshOnReload.TryRemove(id, out _);
            }
        }
        return Task.FromResult(ids.Count);
    }

    public Task<IReadOnlyList<ModelChange>> RebalanceAsync()
    {
        lock (_assignmentLock)
        {
            var changes = _assigner.PlanRebalance(All().Select(s => (s.ClientId, s.ModelName, s.Capabilities)));
            foreach (var change in changes)
            {
                Use(change.ClientId, session =>
                {
                    session.Assign(change.To, _runtime.Get(change.To).LayerCount);
                    Persist(session);
                });
            }
            return Task.FromResult(changes);
        }
    }

    public Task ResetStatisticsAsync(string reason)
    {
        // The database first: a session read back after this has no statistics, one in memory is reset below.
        _database.ResetStatistics();
        foreach (var id in _sessions.Keys)
        {
            TryUse(id, s => s.ResetStatistics(reason));
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Removes from memory every session idle for longer than the configured time that no call holds, with every
    /// applied result stored and no forced layer. Returns how many left.
    /// </summary>
    public int EvictIdle()
    {
        if (_idleEviction is not { } idle)
        {
            return 0;
        }
        var now = _time.GetUtcNow();
        var cutoff = now - idle;
        foreach (var (id, kept) in _repliesOnReload)
        {
            if (kept.EvictedAt < now - RetryWindow)
            {
                // Only this entry: a newer one stored for the same client meanwhile stays.
                _repliesOnReload.TryRemove(KeyValuePair.Create(id, kept));
            }
        }
        var evicted = 0;
        foreach (var (id, entry) in _sessions)
        {
            lock (entry.Sync)
            {
                if (entry.Gone || entry.Users > 0 || Volatile.Read(ref entry.ResultsInFlight) > 0 || entry.TouchedAt > cutoff)
                {
                    continue;
                }
                var snapshot = entry.Session.Snapshot();
                if (snapshot.ForcedLayer is not null)
                {
                    continue;
                }
                if (snapshot.RefreshPending)
                {
                    _refreshOnReload[id] = snapshot.RefreshReason ?? "local-inference refresh";
                }
                if (snapshot.LastSeen > now - RetryWindow && entry.Session.AcknowledgedReplies() is { Count: > 0 } replies)
                {
                    _repliesOnReload[id] = (now, replies);
                }
                _someOnlyStored = true;
                entry.Gone = true;
                _sessions.TryRemove(new KeyValuePair<string, Entry>(id, entry));
                evicted++;
            }
        }
        Interlocked.Add(ref _evicted, evicted);
        return evicted;
    }

    /// <summary>An applied result is stored or given up: the session may leave memory again.</summary>
    private Task Settle(string clientId, Action<ClientSession> action)
    {
        Use(clientId, (s, entry) =>
        {
            action(s);
            return Interlocked.Decrement(ref entry.ResultsInFlight);
        });
        return Task.CompletedTask;
    }

    private Task Use(string clientId, Action<ClientSession> action)
    {
        Use(clientId, s =>
        {
            action(s);
            return true;
        });
        return Task.CompletedTask;
    }

    private T Use<T>(string clientId, Func<ClientSession, T> call) => Use(clientId, (s, _) => call(s));

    private T Use<T>(string clientId, Func<ClientSession, Entry, T> call)
    {
        var entry = Acquire(clientId) ?? throw RequestRejectedException.UnknownClient(clientId);
        try
        {
            return call(entry.Session, entry);
        }
        finally
        {
            entry.Release();
        }
    }

    /// <summary>For whole-fleet operations over the sessions in memory: false if the session left meanwhile.</summary>
    private bool TryUse(string clientId, Action<ClientSession> action)
    {
        if (!_sessions.TryGetValue(clientId, out var entry) || !entry.TryAcquire(_time.GetUtcNow()))
        {
            return false;
        }
        try
        {
            action(entry.Session);
            return true;
        }
        finally
        {
            entry.Release();
        }
    }

    /// <summary>A lease on the client's session, read back from the database if it was evicted; null if the client is unknown.</summary>
    private Entry? Acquire(string clientId)
    {
        while (true)
        {
            var now = _time.GetUtcNow();
            if (_sessions.TryGetValue(clientId, out var entry))
            {
                if (entry.TryAcquire(now))
                {
                    return entry;
                }
                continue; // evicted between the lookup and the lease: read it back
            }
            if (!_someOnlyStored || _database.LoadClient(clientId) is not { } stored || FromStore(stored) is not { } session)
            {
                return null;
            }
            if (_refreshOnReload.TryRemove(clientId, out var reason))
            {
                session.RequestRefresh(reason);
            }
            if (_repliesOnReload.TryRemove(clientId, out var kept))
            {
                foreach (var (key, reply) in kept.Replies)
                {
                    session.RememberAcknowledged(key, reply);
                }
            }
            var loaded = new Entry(session, now);
            if (_sessions.TryAdd(clientId, loaded))
            {
                Interlocked.Increment(ref _reloaded);
            }
        }
    }

    private Dictionary<string, int> ActiveClientsPerModel(DateTimeOffset now)
    {
        var since = now - _assigner.ActiveWindow;
        // Asked at a registration under a load-aware strategy: one lock and two fields per session, not a snapshot of its
        // statistics (with 10,000 sessions the snapshots made registration O(fleet) in allocations: 40-60 registrations/s).
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in _sessions.Values)
        {
            var (model, lastSeen) = entry.Session.Activity();
            if (lastSeen >= since)
            {
                counts[model] = counts.GetValueOrDefault(model) + 1;
            }
        }
        if (_someOnlyStored && _idleEviction is { } idle && idle < _assigner.ActiveWindow)
        {
            // Sessions evicted sooner than the active window can still be active: count them from their stored rows.
            foreach (var (clientId, model) in _database.ClientsSeenSince(since).Where(c => !_sessions.ContainsKey(c.ClientId)))
            {
                counts[model] = counts.GetValueOrDefault(model) + 1;
            }
        }
        return counts;
    }

    private ClientSessionSnapshot Persist(ClientSession session)
    {
        var s = session.Snapshot();
        _database.UpsertClient(new StoredClient(s.ClientId, s.ModelName,
            s.Capabilities is null ? null : JsonSerializer.Serialize(s.Capabilities, SciotJson.Options), s.RemoteAddress,
            s.RegisteredAt, s.LastSeen, s.InferenceCount, s.Statistics.ToJson()));
        return s;
    }

    /// <summary>A stored client as a session; null if its model is no longer served (it is assigned anew when it registers).</summary>
    private ClientSession? FromStore(StoredClient stored)
    {
        if (!_runtime.TryGet(stored.ModelName, out var model))
        {
            return null;
        }
        var capabilities = stored.CapabilitiesJson is null ? null : JsonSerializer.Deserialize<ClientCapabilities>(stored.CapabilitiesJson, SciotJson.Options);
        var statistics = stored.StatisticsJson is null ? null : JsonSerializer.Deserialize<ClientStatistics>(stored.StatisticsJson, SciotJson.Options);
        return ClientSession.Restore(stored.ClientId, stored.ModelName, model.LayerCount, capabilities, stored.RemoteAddress,
            stored.RegisteredAt, stored.LastSeen, stored.InferenceCount, statistics, _settings);
    }

    /// <summary>At start: with eviction on, only clients seen within the idle time (the others come back when they call).</summary>
    private void Restore()
    {
        var now = _time.GetUtcNow();
        var stored = _database.LoadClients();
        foreach (var client in stored)
        {
            if (_idleEviction is { } idle && client.LastSeen < now - idle)
            {
                _someOnlyStored = true;
                continue;
            }
            if (FromStore(client) is { } session)
            {
                _sessions[client.ClientId] = new Entry(session, client.LastSeen);
            }
            else
            {
                _logger.LogWarning("Client {ClientId} was assigned {Model}, which is no longer served; it will be re-assigned at registration",
                    client.ClientId, client.ModelName);
            }
        }
        _logger.LogInformation("Restored {Count} of {Stored} clients from {Database} into memory", _sessions.Count, stored.Count, _database.FilePath);
    }

    /// <summary>A session in memory with its leases: calls holding it, results applied but not yet stored, when it was last used.</summary>
    private sealed class Entry(ClientSession session, DateTimeOffset touchedAt)
    {
        public ClientSession Session { get; } = session;
        public int Users;
        public int ResultsInFlight;
        public DateTimeOffset TouchedAt = touchedAt;
        public bool Gone;
        public readonly Lock Sync = new();

        public bool TryAcquire(DateTimeOffset now)
        {
            lock (Sync)
            {
                if (Gone)
                {
                    return false;
                }
                Users++;
                if (now > TouchedAt)
                {
                    TouchedAt = now;
                }
                return true;
            }
        }

        public void Release()
        {
            lock (Sync)
            {
                Users--;
            }
        }
    }
}
