using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Transport;

/// <summary>
/// The server as it runs (its own process, its own Kestrel) reads through the configured pool: Kestrel would silently
/// keep its 4 KiB one if the registration lost to its own, and the pool is only made when Kestrel asks for it.
/// </summary>
public sealed class KestrelTransportPoolTests
{
    [Fact]
    public async Task The_running_server_gives_Kestrel_blocks_of_the_configured_size()
    {
        var dataPath = SciotServerFactory.NewTempFolder();
        try
        {
            using var server = await ServerProcess.StartAsync(TestPorts.FreeBelowEphemeralRange(), dataPath, new Dictionary<string, string>
            {
                ["Sciot:Server:Transport:ReceiveBlockBytes"] = "65536",
                ["Logging:LogLevel:Sciot.Server.Transport"] = "Information",
            });
            using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(10) };
            using var device = new ScriptedDevice();
            await http.RegisterAsync("pool_check");

            // A 130 KB body through the pool's 64 KiB blocks is answered like any other.
            var reply = await http.PostResultOkAsync("pool_check", device.V2(ScriptedDevice.Fomo, 20, device.Frame(ScriptedDevice.Fomo, 1)));

            Assert.Equal(20, reply.GetProperty("offloading_layer_index").GetInt32());
            Assert.Contains("Transport pool for kestrel: 64 KiB blocks, up to 256 kept free", server.Process.OutputText);
        }
        finally
        {
            SciotServerFactory.DeleteFolder(dataPath);
        }
    }
}
