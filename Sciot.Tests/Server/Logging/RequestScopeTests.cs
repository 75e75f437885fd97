using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Logging;

public sealed class RequestScopeTests
{
    [Fact]
    public async Task Decision_log_line_names_the_client_and_its_model()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new SciotServerFactory(
            settings: new Dictionary<string, string?> { ["Logging:LogLevel:Sciot.Server"] = "Information" },
            configure: b => b.ConfigureLogging(l => l.AddProvider(logs)));
        var http = factory.CreateClient();
        await http.RegisterAsync("a1b2c3d4");

        var (layer, _, _) = await http.DecisionAsync("a1b2c3d4");

        Assert.Contains($"Client a1b2c3d4 (fomo_96x96): offloading decision = layer {layer}", string.Join("\n", logs.Lines));
    }
}
