using Sciot.Client.Device;
using Sciot.Core.Offloading;

namespace Sciot.Tests.Client;

public sealed class DeviceOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new DeviceOptionsValidator().Validate(null, new DeviceOptions()).Succeeded);
    }

    [Fact]
    public void Nested_sections_and_delays_are_checked_and_named()
    {
        var options = new DeviceOptions
        {
            ResultFormat = "v3",
            Registration = new RegistrationOptions { MaxRetries = -1 },
            Emulation = new DeviceEmulationOptions { Profile = "esp8266" },
            Link = new LinkOptions { Latency = new DelaySettings { Kind = DelayKind.Uniform, Min = 2, Max = 1 } },
        };

        var result = new DeviceOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Sciot:Device:", StringComparison.Ordinal) && f.Contains("ResultFormat"));
        Assert.Contains(failures, f => f.StartsWith("Sciot:Device:Registration:", StringComparison.Ordinal) && f.Contains("MaxRetries"));
        Assert.Contains(failures, f => f.StartsWith("Sciot:Device:Emulation:", StringComparison.Ordinal) && f.Contains("Profile"));
        Assert.Contains(failures, f => f.StartsWith("Sciot:Device:Link:Latency:", StringComparison.Ordinal));
    }
}
