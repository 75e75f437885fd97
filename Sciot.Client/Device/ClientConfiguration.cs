namespace Sciot.Client.Device;

/// <summary>
/// The client's configuration sources: standard .NET configuration plus the reference's <c>http_config.yaml</c>
/// (next to the app, or <c>--config-file</c>), whose <c>client: client_id:</c> is honoured. The command line wins.
/// </summary>
public static class ClientConfiguration
{
    public const string YamlFileName = "http_config.yaml";
    public const string ConfigFileKey = "ConfigFile";
    public const string YamlClientIdKey = "client:client_id";

    /// <summary>Command-line shortcuts; anything else is standard configuration (--Sciot:Device:ServerUrl=...).</summary>
    public static readonly IReadOnlyDictionary<string, string> Switches = new Dictionary<string, string>
    {
        ["--devices"] = $"{DeviceOptions.Section}:Devices",
        ["--server"] = $"{DeviceOptions.Section}:ServerUrl",
        ["--client-id"] = $"{DeviceOptions.Section}:ClientId",
        ["--config-file"] = ConfigFileKey,
        ["--link"] = LinkProfiles.ProfileKey,
    };

    public static void AddSources(IConfigurationManager configuration, string[] args, string appDirectory)
    {
        var switches = Switches.ToDictionary();
        configuration.AddCommandLine(args, switches);
        var explicitFile = configuration[ConfigFileKey];
        var yaml = Path.GetFullPath(explicitFile ?? Path.Combine(appDirectory, YamlFileName));
        configuration.AddYamlFile(yaml, optional: explicitFile is null);
        configuration.AddCommandLine(args, switches);
        LinkProfiles.AddAsDefaults(configuration);
    }

    /// <summary>The configured ID: <c>Sciot:Device:ClientId</c>, else the YAML's <c>client_id</c>; null when it says null.</summary>
    public static string? ConfiguredClientId(IConfiguration configuration)
    {
        var id = configuration[$"{DeviceOptions.Section}:ClientId"];
        if (string.IsNullOrWhiteSpace(id))
        {
            id = configuration[YamlClientIdKey];
        }
        return string.IsNullOrWhiteSpace(id) || id.Equals("null", StringComparison.OrdinalIgnoreCase) ? null : id;
    }
}
