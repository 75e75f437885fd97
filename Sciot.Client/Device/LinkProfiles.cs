using Microsoft.Extensions.Configuration.Memory;

namespace Sciot.Client.Device;

/// <summary>
/// Named link profiles: JSON files in <c>Profiles/links/</c> next to the app (source: <c>Sciot.Client/Profiles/links/</c>),
/// each holding the keys of a <see cref="LinkOptions"/> section.
/// </summary>
public static class LinkProfiles
{
    public const string ProfileKey = $"{DeviceOptions.Section}:Link:Profile";

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Profiles", "links");

    public static IReadOnlyList<string> Names() =>
        Directory.Exists(Folder) ? [.. Directory.EnumerateFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order()!] : [];

    /// <summary>The profile's settings as configuration keys relative to the link section (<c>Latency:Mean</c>, ...).</summary>
    /// <exception cref="FileNotFoundException">No such profile; the message lists the known ones.</exception>
    public static IConfiguration Read(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var path = Path.Combine(Folder, name + ".json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Link profile '{name}' does not exist: no {path}. Known profiles: {string.Join(", ", Names())}.", path);
        }
        return new ConfigurationBuilder().AddJsonFile(path).Build();
    }

    public static LinkOptions Load(string name)
    {
        var options = new LinkOptions();
        Read(name).Bind(options);
        options.Profile = name;
        return options;
    }

    /// <summary>
    /// When <c>Sciot:Device:Link:Profile</c> is set, puts the profile's keys under the link section as the lowest
    /// configuration source, so any key set explicitly still wins. An explicit bandwidth also drops the profile's
    /// schedule: its steps set the bandwidth from their time on (degrading's first at 0 s), so it would never apply.
    /// </summary>
    public static void AddAsDefaults(IConfigurationManager configuration)
    {
        if (configuration[ProfileKey] is not { Length: > 0 } name)
        {
            return;
        }
        var prefix = $"{DeviceOptions.Section}:Link:";
        var explicitBandwidth = configuration[prefix + nameof(LinkOptions.BandwidthBytesPerSecond)] is not null;
        var values = Read(name).AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null)
            .Where(kv => !(explicitBandwidth && kv.Key.StartsWith(nameof(LinkOptions.Schedule), StringComparison.OrdinalIgnoreCase)))
            .Select(kv => new KeyValuePair<string, string?>(prefix + kv.Key, kv.Value));
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = values });
    }
}
