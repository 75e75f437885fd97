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
        FailedCycles = _meter.CreateCounter<long>("sciot.client.failed_cycles", description: "Cycles that failed on the device and were retried");
        RateLimitedRequests = _meter.CreateCounter<long>("sciot.client.rate_limited", description: "Requests the server refused with 429 (per-client rate limit)");
        RegistrationAttempts = _meter.CreateCounter<long>("sciot.client.registrations", description: "Registration outcomes");
    }

    public Histogram<double> CycleSeconds { get; }
    public Histogram<double> DeviceSeconds { get; }
    public Counter<long> BytesSent { get; }
    public Counter<long> LocalOnlyCycles { get; }
    public Counter<long> FailedCycles { get; }
    public Counter<long> RegistrationAttempts { get; }
    public Counter<long> RateLimitedRequests { get; }

    public void Dispose() => _meter.Dispose();
}
