using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sciot.Server.Telemetry;

/// <summary>The server's own ActivitySource and Meter (both "Sciot.Server") and the tag names shared with the client.</summary>
public sealed class ServerTelemetry : IDisposable
{
    public const string Name = "Sciot.Server";
    public const string ClientIdTag = "sciot.client_id";
    public const string ModelTag = "sciot.model";
    public const string SplitLayerTag = "sciot.split_layer";
    public const string TensorBytesTag = "sciot.tensor_bytes";

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

    public static Activity? Start(string name, string? clientId, string? model, int? layer = null)
    {
        var activity = Source.StartActivity(name);
        activity?.SetTag(ClientIdTag, clientId);
        activity?.SetTag(ModelTag, model);
        if (layer is { } k)
        {
            activity?.SetTag(SplitLayerTag, k);
        }
        return activity;
    }

    public void Dispose() => _meter.Dispose();
}
