using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sciot.Client.Telemetry;

/// <summary>The client's own ActivitySource and Meter ("Sciot.Client").</summary>
public sealed class ClientTelemetry : IDisposable
{
    public const string Name = "Sciot.Client";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;

    public ClientTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        CycleSeconds = _meter.CreateHistogram<double>("sciot.client.cycle.duration", "s", "Duration of one device cycle");
        DeviceSeconds = _meter.CreateHistogram<double>("sciot.client.device.duration", "s", "Reported device time of layers 0..k");
        BytesSent = _meter.CreateCounter<long>("sciot.client.bytes_sent", "By", "Result payload bytes uploaded");
        LocalOnlyCycles = _meter.CreateCounter<long>("sciot.client.local_only_cycles", description: "Cycles run without a server");
        RegistrationAttempts = _meter.CreateCounter<long>("sciot.client.registrations", description: "Registration outcomes");
    }

    public Histogram<double> CycleSeconds { get; }
    public Histogram<double> DeviceSeconds { get; }
    public Counter<long> BytesSent { get; }
    public Counter<long> LocalOnlyCycles { get; }
    public Counter<long> RegistrationAttempts { get; }

    public void Dispose() => _meter.Dispose();
}
