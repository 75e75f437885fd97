using Microsoft.Extensions.Options;
using Sciot.Core.Telemetry;

namespace Sciot.Client.Device;

/// <summary>
/// The IDs of this process's virtual devices, drawn once per start: the device loop, the first log line and the
/// OpenTelemetry resource (<c>sciot.client_id</c>, so a dashboard resource shows which device it is) all use these.
/// </summary>
public sealed class DeviceIdentities(IOptions<DeviceOptions> options)
{
    /// <summary>How many IDs the resource attribute lists before it says how many more there are (load mode runs thousands).</summary>
    public const int ListedInResource = 10;

    private readonly Lazy<IReadOnlyList<string>> _ids = new(() =>
    {
        var o = options.Value;
        return Enumerable.Range(1, o.Devices).Select(i => DeviceIds.Resolve(o.ClientId, o.Devices, i)).ToList();
    });

    public IReadOnlyList<string> Ids => _ids.Value;

    /// <summary>The IDs as one readable value: the ID itself for one device, a list (shortened beyond 10) for several.</summary>
    public string Describe() => Ids.Count <= ListedInResource
        ? string.Join(", ", Ids)
        : $"{string.Join(", ", Ids.Take(ListedInResource))} (+{Ids.Count - ListedInResource} more)";

    public IEnumerable<KeyValuePair<string, object>> ResourceAttributes() =>
    [
        new(SciotTags.ClientId, Describe()),
        new(SciotTags.DeviceCount, Ids.Count),
    ];
}
