using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Client;

/// <summary>The device client as a real process stops cleanly (exit code 0, shutdown logged) on SIGTERM and SIGINT.</summary>
public sealed class ClientShutdownTests
{
    [Theory]
    [InlineData(ChildProcess.SigTerm)]
    [InlineData(ChildProcess.SigInt)]
    public async Task The_client_stops_cleanly_on_a_signal(int signal)
    {
        await using var server = new SciotServerFactory();
        var address = server.StartOnRealPort();
        var clientId = $"signal_{signal}";
        using var client = ChildProcess.Start("Sciot.Client",
            ["--server", address.ToString(), "--client-id", clientId, "--Sciot:Device:CycleIntervalMs=50", "--Sciot:Device:Emulation:RealTime=false"]);
        using var http = server.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await http.ClientsAsync()).All(c => c.GetProperty("client_id").GetString() != clientId || c.GetProperty("inference_count").GetInt64() < 2))
        {
            Assert.False(client.HasExited, client.OutputText);
            Assert.True(DateTime.UtcNow < deadline, "no split cycle within 60 s:\n" + client.OutputText);
            await Task.Delay(100);
        }

        client.Signal(signal);

        Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Application is shutting down...", client.OutputText);
    }
}
