using System.Text.Json;
using System.Text.Json.Serialization;
using Sciot.Client.Device;
using Sciot.Core.Offloading;

namespace Sciot.Client.Scenarios;

/// <summary>
/// One experiment, as a data file in <c>Scenarios/Definitions/</c>: who runs (client groups with device and link
/// profiles), against which server settings, for how long (emulated device seconds), and what changes when.
/// </summary>
public sealed class Scenario
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Name { get; set; } = "";
    public string Description { get; set; } = "";

    /// <summary>Emulated seconds each client runs (its device clock advances by each inference's end-to-end time).</summary>
    public double DurationSeconds { get; set; } = 30;

    /// <summary>The server's model assignment strategy (<c>Sciot:Assignment:Strategy</c>).</summary>
    public string Strategy { get; set; } = "default";

    /// <summary>Further server settings, as configuration keys (<c>Sciot:Offloading:EmaAlpha</c>: <c>0.5</c>).</summary>
    public Dictionary<string, string> Server { get; set; } = [];

    /// <summary>Emulated pause between a client's cycles.</summary>
    public int CycleIntervalMs { get; set; }

    public List<ClientGroup> Clients { get; set; } = [];

    public List<ScenarioEvent> Events { get; set; } = [];

    public int ClientCount => Clients.Sum(g => g.Count);

    /// <exception cref="InvalidDataException">The file does not parse or a field is out of range; the message names file and field.</exception>
    public static Scenario Load(string path)
    {
        Scenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        if (scenario is null)
        {
            throw new InvalidDataException($"{path}: empty scenario");
        }
        scenario.Validate(path);
        return scenario;
    }

    public void Validate(string source)
    {
        void Fail(string field, string problem) => throw new InvalidDataException($"{source}: {field}: {problem}");
        if (string.IsNullOrWhiteSpace(Name) || Name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-'))
        {
            Fail("name", $"'{Name}' must be letters, digits, '_' or '-'");
        }
        if (!double.IsFinite(DurationSeconds) || DurationSeconds <= 0)
        {
            Fail("duration_seconds", $"{DurationSeconds} must be positive");
        }
        if (CycleIntervalMs < 0)
        {
            Fail("cycle_interval_ms", "must not be negative");
        }
        if (Clients.Count == 0)
        {
            Fail("clients", "at least one client group is needed");
        }
        for (var i = 0; i < Clients.Count; i++)
        {
            Clients[i].Validate($"{source}: clients[{i}]");
        }
        // Applied in time order as each client's clock passes them.
        Events = [.. Events.OrderBy(e => e.AtSeconds)];
        for (var i = 0; i < Events.Count; i++)
        {
            var e = Events[i];
            if (!double.IsFinite(e.AtSeconds) || e.AtSeconds < 0)
            {
                Fail($"events[{i}].at_seconds", $"{e.AtSeconds} must be a non-negative number of seconds");
            }
            if (e.Group is { } g && (g < 0 || g >= Clients.Count))
            {
                Fail($"events[{i}].group", $"{g} is not a client group index (0..{Clients.Count - 1})");
            }
            if (e.BandwidthBytesPerSecond is <= 0 || e.ComputeJitter is < 0)
            {
                Fail($"events[{i}]", "bandwidth must be positive and compute jitter non-negative");
            }
        }
    }

    /// <summary>The scenario with its duration and every time in it (events, link schedules) multiplied by <paramref name="factor"/>.</summary>
    public Scenario Scaled(double factor)
    {
        var copy = JsonSerializer.Deserialize<Scenario>(JsonSerializer.Serialize(this, Json), Json)!;
        copy.DurationSeconds *= factor;
        copy.Events.ForEach(e => e.AtSeconds *= factor);
        copy.Clients.ForEach(g => g.TimeScale = factor);
        return copy;
    }
}

/// <summary><see cref="Count"/> identical clients: device emulation and link.</summary>
public sealed class ClientGroup
{
    public int Count { get; set; } = 1;

    /// <summary><c>none</c> (this PC's measured times), <c>esp32-s3</c> (cost model) or <c>slowdown</c>.</summary>
    public string Device { get; set; } = "none";

    public double SlowdownFactor { get; set; } = 1;

    public double ComputeJitter { get; set; }

    public DelaySettings? ComputeDelay { get; set; }

    /// <summary>A link profile of <c>Profiles/links/</c>.</summary>
    public string Link { get; set; } = "loopback";

    /// <summary>Overrides the profile's latency distribution.</summary>
    public DelaySettings? Latency { get; set; }

    /// <summary>Overrides the profile's bandwidth.</summary>
    public double? BandwidthBytesPerSecond { get; set; }

    /// <summary>Set by <see cref="Scenario.Scaled"/>: the link schedule's times are multiplied by it.</summary>
    public double TimeScale { get; set; } = 1;

    public void Validate(string where)
    {
        if (Count is < 1 or > 1000)
        {
            throw new InvalidDataException($"{where}.count: {Count} must be in 1..1000");
        }
        if (Device is not ("none" or "esp32-s3" or "slowdown"))
        {
            throw new InvalidDataException($"{where}.device: '{Device}' is not none, esp32-s3 or slowdown");
        }
        // Checked here, so a typo stops the run before a server is started for it, not when its clients are created.
        if (!LinkProfiles.Names().Contains(Link, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"{where}.link: '{Link}' is not a link profile ({string.Join(", ", LinkProfiles.Names())})");
        }
        if (!double.IsFinite(SlowdownFactor) || SlowdownFactor <= 0 || !double.IsFinite(ComputeJitter) || ComputeJitter < 0)
        {
            throw new InvalidDataException($"{where}: slowdown_factor must be positive and compute_jitter non-negative");
        }
        try
        {
            ComputeDelay?.Validate();
            Latency?.Validate();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{where}: {e.Message}", e);
        }
    }
}

/// <summary>At <see cref="AtSeconds"/> (a client's emulated clock), change the link bandwidth and/or the compute jitter of one group (or all).</summary>
public sealed class ScenarioEvent
{
    public double AtSeconds { get; set; }
    public int? Group { get; set; }
    public double? BandwidthBytesPerSecond { get; set; }
    public double? ComputeJitter { get; set; }
}
