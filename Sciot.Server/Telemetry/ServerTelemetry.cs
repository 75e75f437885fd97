using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sciot.Core.Telemetry;

namespace Sciot.Server.Telemetry;

/// <summary>The server's own ActivitySource and Meter (both "Sciot.Server").</summary>
public sealed class ServerTelemetry : IDisposable
{
    public const string Name = "Sciot.Server";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;

    public ServerTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        TailSeconds = _meter.CreateHistogram<double>("sciot.server.tail.duration", "s", "Edge (tail) inference time");
        Decisions = _meter.CreateCounter<long>("sciot.server.decisions", description: "Offloading decisions by split layer");
        Registrations = _meter.CreateCounter<long>("sciot.server.registrations", description: "Registrations by assigned model");
        Inferences = _meter.CreateCounter<long>("sciot.server.inferences", description: "Inference results accepted");
    }

    public Histogram<double> TailSeconds { get; }
    public Counter<long> Decisions { get; }
    public Counter<long> Registrations { get; }
    public Counter<long> Inferences { get; }

    public void ObserveClientsPerModel(Func<IEnumerable<Measurement<int>>> observe) =>
        _meter.CreateObservableGauge("sciot.server.clients", observe, description: "Registered clients per model");

    public void ObserveSessionsInMemory(Func<int> inMemory, Func<long> evicted)
    {
        _meter.CreateObservableGauge("sciot.server.sessions.in_memory", inMemory, description: "Client sessions held in memory (the others only in SQLite)");
        _meter.CreateObservableCounter("sciot.server.sessions.evicted", evicted, description: "Idle sessions evicted from memory");
    }

    public void ObserveTransportBlocks(Func<long> created, Func<int> free)
    {
        _meter.CreateObservableCounter("sciot.server.transport.blocks.created", created, description: "Receive blocks Kestrel's transport pool allocated");
        _meter.CreateObservableGauge("sciot.server.transport.blocks.free", free, description: "Receive blocks kept free for reuse");
    }

    public static Activity? Start(string name, string? clientId, string? model, int? layer = null)
    {
        var activity = Source.StartActivity(name);
        activity?.SetTag(SciotTags.ClientId, clientId);
        activity?.SetTag(SciotTags.Model, model);
        if (layer is { } k)
        {
            activity?.SetTag(SciotTags.SplitLayer, k);
        }
        return activity;
    }

    public void Dispose() => _meter.Dispose();
}
