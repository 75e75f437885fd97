using System.Text.Json;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

/// <summary>A device's resilience handler retries a POST whose reply it did not get: the server stores it once and answers alike.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdempotentResultTests(ServerFixture server)
{
    [Fact]
    public async Task A_retried_result_is_recorded_once_and_answered_with_the_same_reply()
    {
        var id = server.NewClientId("retry");
        await server.Client.RegisterAsync(id);
        var frame = server.Device.Frame(ScriptedDevice.Fomo, 5);
        var payload = server.Device.V2(ScriptedDevice.Fomo, 30, frame, messageId: 9);

        var first = await server.Client.PostResultOkAsync(id, payload);
        var retry = await server.Client.PostResultOkAsync(id, payload);
        var next = await server.Client.PostResultOkAsync(id, server.Device.V2(ScriptedDevice.Fomo, 30, frame, messageId: 10));

        Assert.Equal(Without(first, "processing_seconds"), Without(retry, "processing_seconds"));
        Assert.Equal(2, (await server.Client.ClientAsync(id)).GetProperty("inference_count").GetInt64());
        using var csv = await server.Operator.GetAsync("/api/operator/inferences.csv");
        var rows = (await csv.Content.ReadAsStringAsync()).Split('\n').Where(l => l.Contains($",{id},")).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(10u, next.GetProperty("message_id").GetUInt32());
    }

    [Fact]
    public async Task The_same_message_id_with_other_contents_is_a_new_result()
    {
        // The reference firmware may repeat a message id; only an identical body is a retry.
        var id = server.NewClientId("sameid");
        await server.Client.RegisterAsync(id);

        await server.Client.PostResultOkAsync(id, server.Device.V2(ScriptedDevice.Fomo, 30, server.Device.Frame(ScriptedDevice.Fomo, 1), messageId: 1));
        await server.Client.PostResultOkAsync(id, server.Device.V2(ScriptedDevice.Fomo, 30, server.Device.Frame(ScriptedDevice.Fomo, 2), messageId: 1));

        Assert.Equal(2, (await server.Client.ClientAsync(id)).GetProperty("inference_count").GetInt64());
    }

    private static string Without(JsonElement reply, string property) =>
        JsonSerializer.Serialize(reply.EnumerateObject().Where(p => p.Name != property).ToDictionary(p => p.Name, p => p.Value));
}
