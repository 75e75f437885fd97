using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Assignment;

/// <summary>Under the default strategy, a client that lists models it already holds gets one the server can serve.</summary>
[Collection(ServerCollection.Name)]
public sealed class HeldModelsAssignmentTests(ServerFixture server)
{
    [Fact]
    public async Task Client_holding_mobilenet_lite_gets_mobilenet_lite()
    {
        var reply = await server.Client.RegisterAsync(server.NewClientId("holder"), new { models = new[] { ScriptedDevice.MobileNetLite } });
        Assert.Equal(ScriptedDevice.MobileNetLite, reply.GetProperty("model_name").GetString());
        Assert.Equal(37, reply.GetProperty("last_offloading_layer").GetInt32());
    }

    [Fact]
    public async Task Client_holding_both_gets_the_default()
    {
        var reply = await server.Client.RegisterAsync(server.NewClientId("holder"), new { models = new[] { ScriptedDevice.MobileNetLite, ScriptedDevice.Fomo } });
        Assert.Equal(ScriptedDevice.Fomo, reply.GetProperty("model_name").GetString());
    }

    [Fact]
    public async Task Held_models_the_server_does_not_serve_are_ignored()
    {
        var reply = await server.Client.RegisterAsync(server.NewClientId("holder"), new { models = new[] { "resnet_9000" } });
        Assert.Equal(ScriptedDevice.Fomo, reply.GetProperty("model_name").GetString());
    }
}
