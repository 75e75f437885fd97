using System.ComponentModel.DataAnnotations;
using Sciot.Core.Offloading;
using Sciot.Core.Protocol.Json;

namespace Sciot.Client.Device;

/// <summary><c>Sciot:Device</c>: who the device is and how it runs its loop. There is deliberately no model name here.</summary>
public sealed class DeviceOptions
{
    public const string Section = "Sciot:Device";

    /// <summary>Upper bounds of <see cref="Devices"/> and <see cref="CycleIntervalMs"/>; <c>load</c> checks its arguments against them too.</summary>
    public const int MaxDevices = 10000;
    public const int MaxCycleIntervalMs = 3_600_000;

    /// <summary>Null, empty or "null" = a random 8-character id per start. Also read from <c>client:client_id</c> (http_config.yaml).</summary>
    public string? ClientId { get; set; }

    /// <summary>Server base address; <c>http://server</c> resolves through Aspire service discovery.</summary>
    [Required]
    public string ServerUrl { get; set; } = "http://server";

    /// <summary>Models the device ships with (its "firmware"); empty = the nearest <c>models</c> folder above the app.</summary>
    public string BundledModelsPath { get; set; } = "";

    /// <summary>Where downloaded models are cached; empty = a folder under the system temp directory.</summary>
    public string CachePath { get; set; } = "";

    /// <summary>The model used in local-only mode when registration fails.</summary>
    [Required]
    public string FallbackModel { get; set; } = "fomo_96x96";

    /// <summary>Pause between cycles.</summary>
    [Range(0, MaxCycleIntervalMs)]
    public int CycleIntervalMs { get; set; } = 1000;

    /// <summary><c>synthetic</c> or a folder of PNG/JPEG images.</summary>
    [Required]
    public string FrameSource { get; set; } = "synthetic";

    /// <summary><c>v2</c> (named tensors, any cut) or <c>v1</c> (reference layout, single-tensor cuts only).</summary>
    [RegularExpression("^(v1|v2)$")]
    public string ResultFormat { get; set; } = "v2";

    [Range(0.1, 600)]
    public double RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Reuse a server connection for at most this long; null = as long as it lives. Behind a TCP proxy over several
    /// server replicas a kept-alive connection stays on one replica; a short lifetime spreads a device's requests
    /// (the reference firmware opens a connection per request).
    /// </summary>
    [Range(0, 3600)]
    public double? ConnectionLifetimeSeconds { get; set; }

    [Range(1, MaxDevices)]
    public int Devices { get; set; } = 1;

    public int Seed { get; set; } = 1;

    public ClientCapabilities? Capabilities { get; set; }

    public RegistrationOptions Registration { get; set; } = new();

    public DeviceEmulationOptions Emulation { get; set; } = new();

    public LinkOptions Link { get; set; } = new();

    public QualityOptions Quality { get; set; } = new();
}

/// <summary>Live detection quality on frames with ground truth (synthetic scenes): a sliding window of matched cycles, logged now and then.</summary>
public sealed class QualityOptions
{
    /// <summary>Cycles in the window whose precision and recall are logged.</summary>
    [Range(1, 100000)]
    public int Window { get; set; } = 50;

    /// <summary>One log line with the window's precision and recall every this many scored cycles.</summary>
    [Range(1, 100000)]
    public int LogEveryCycles { get; set; } = 10;
}

/// <summary>The registration pipeline: per-attempt timeout, bounded retries with jittered backoff, then the fallback.</summary>
public sealed class RegistrationOptions
{
    [Range(0.05, 300)]
    public double AttemptTimeoutSeconds { get; set; } = 5;

    [Range(0, 100)]
    public int MaxRetries { get; set; } = 3;

    [Range(0.001, 60)]
    public double BaseDelaySeconds { get; set; } = 0.5;

    /// <summary>How often a device in local-only mode tries to register again.</summary>
    [Range(0.01, 3600)]
    public double ReconnectIntervalSeconds { get; set; } = 10;
}

/// <summary>Makes a fast PC report the layer times of a small device.</summary>
public sealed class DeviceEmulationOptions
{
    /// <summary><c>none</c> (measured times), <c>esp32-s3</c> (the ESP32-S3 cost model, any model) or <c>slowdown</c>.</summary>
    [RegularExpression("^(none|esp32-s3|slowdown)$")]
    public string Profile { get; set; } = "none";

    /// <summary>Multiplies the profile's layer times (e.g. 2 for a device at half the ESP32-S3's speed).</summary>
    [Range(0.01, 100000)]
    public double SlowdownFactor { get; set; } = 1;

    /// <summary>Relative standard deviation of each reported layer time (0.05 = ±5 %), drawn per layer and cycle.</summary>
    [Range(0, 2)]
    public double ComputeJitter { get; set; }

    /// <summary>Extra delay per layer, as the reference's computation delay simulation.</summary>
    public DelaySettings ComputeDelay { get; set; } = new();

    /// <summary>Actually wait the emulated device and link time, so the cycle lasts as long as on the device; when false both are reported, not waited.</summary>
    public bool RealTime { get; set; } = true;
}

/// <summary>
/// Upload link emulation: bandwidth, its variation, latency distribution, loss, and a schedule of bandwidth changes.
/// <see cref="Profile"/> names a file of <c>Profiles/links/</c> holding these same keys; its values are the
/// defaults of this section (explicit keys win).
/// </summary>
public sealed class LinkOptions
{
    /// <summary>Empty, or a link profile (<c>wifi</c>, <c>wifi-weak</c>, <c>lte</c>, <c>degrading</c>, ...).</summary>
    [RegularExpression("^[a-z0-9-]*$")]
    public string Profile { get; set; } = "";

    /// <summary>0 = no cap. Set explicitly over a profile, it replaces the profile's schedule too (see <see cref="LinkProfiles.AddAsDefaults"/>).</summary>
    [Range(0, 1e12)]
    public double BandwidthBytesPerSecond { get; set; }

    /// <summary>Relative standard deviation of the bandwidth, drawn per upload.</summary>
    [Range(0, 2)]
    public double BandwidthJitter { get; set; }

    /// <summary>Chance an upload is lost and sent again (one more latency and transfer time).</summary>
    [Range(0, 0.9)]
    public double LossProbability { get; set; }

    public DelaySettings Latency { get; set; } = new();

    /// <summary>Bandwidth changes at seconds since the device started; the last step at or before now applies.</summary>
    public List<LinkStep> Schedule { get; set; } = [];

    /// <summary>Seconds after which the schedule starts over (0 = it runs once and the last step stays).</summary>
    [Range(0, 1e6)]
    public double ScheduleRepeatSeconds { get; set; }
}

/// <summary>From <see cref="AtSeconds"/> on, the link carries <see cref="BandwidthBytesPerSecond"/>.</summary>
public sealed class LinkStep
{
    [Range(0, 1e6)]
    public double AtSeconds { get; set; }

    [Range(1, 1e12)]
    public double BandwidthBytesPerSecond { get; set; }
}
