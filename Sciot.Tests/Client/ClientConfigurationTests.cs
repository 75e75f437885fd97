using Microsoft.Extensions.Configuration;
using Sciot.Client.Device;

namespace Sciot.Tests.Client;

public sealed class ClientConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sciot-yaml-").FullName;

    private string? IdFromYaml(string yaml, params string[] args)
    {
        File.WriteAllText(Path.Combine(_folder, ClientConfiguration.YamlFileName), yaml);
        var configuration = new ConfigurationManager();
        ClientConfiguration.AddSources(configuration, args, _folder);
        return ClientConfiguration.ConfiguredClientId(configuration);
    }

    [Fact]
    public void Yaml_null_client_id_gives_a_fresh_random_8_character_id()
    {
        var configured = IdFromYaml("client:\n  client_id: null\n");
        Assert.Null(configured);
        var a = DeviceIds.Resolve(configured, 1, 1);
        var b = DeviceIds.Resolve(configured, 1, 1);
        Assert.Matches("^[0-9a-f]{8}$", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Yaml_fixed_client_id_is_used_as_given_and_the_command_line_wins()
    {
        Assert.Equal("device_01", DeviceIds.Resolve(IdFromYaml("client:\n  client_id: \"device_01\"\n"), 1, 1));
        Assert.Equal("mobile_02", IdFromYaml("client:\n  client_id: device_01\n", "--client-id", "mobile_02"));
    }

    [Fact]
    public void Several_devices_with_a_fixed_id_get_numbered_ids()
    {
        Assert.Equal(["lab_1", "lab_2", "lab_3"], Enumerable.Range(1, 3).Select(i => DeviceIds.Resolve("lab", 3, i)));
    }

    [Fact]
    public void Invalid_ids_are_refused_with_the_reason()
    {
        Assert.Contains("at most 64", Assert.Throws<ArgumentException>(() => DeviceIds.Resolve(new string('x', 65), 1, 1)).Message);
        Assert.Contains("control characters", Assert.Throws<ArgumentException>(() => DeviceIds.Resolve("bad\u0001id", 1, 1)).Message);
    }

    [Fact]
    public void Explicit_missing_config_file_is_an_error_naming_it()
    {
        var missing = Path.Combine(_folder, "nope.yaml");
        var e = Assert.Throws<FileNotFoundException>(() => ClientConfiguration.AddSources(new ConfigurationManager(), ["--config-file", missing], _folder));
        Assert.Contains("nope.yaml", e.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
