using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Fleet;

/// <summary>Several devices at once, as in load mode: every request answered, nothing lost or mixed up.</summary>
[Collection(ServerCollection.Name)]
public sealed class ConcurrentClientsTests(ServerFixture server)
{
    [Fact]
    public async Task Concurrent_results_at_different_cuts_are_all_processed_and_attributed()
    {
        var device = server.Device;
        var cuts = new[] { 4, 20, 33, 58 };
        var clients = Enumerable.Range(0, 6).Select(_ => server.NewClientId("fleet")).ToList();
        await Task.WhenAll(clients.Select(id => server.Client.RegisterAsync(id)));
        var frames = clients.Select((_, i) => device.Frame(ScriptedDevice.Fomo, i + 1)).ToList();
        var expected = frames.Select(f => device.LocalDetections(ScriptedDevice.Fomo, f)).ToList();
        var payloads = clients.SelectMany((id, i) => cuts.Select(k => (Id: id, Index: i, K: k, Body: device.V2(ScriptedDevice.Fomo, k, frames[i], (uint)k)))).ToList();

        var replies = await Task.WhenAll(payloads.Select(async p => (p, Reply: await server.Client.PostResultOkAsync(p.Id, p.Body))))
            .WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var (p, reply) in replies)
        {
            Assert.Equal(p.Id, reply.GetProperty("client_id").GetString());
            Assert.Equal(p.K, reply.GetProperty("offloading_layer_index").GetInt32());
            PredictionAssert.SameDetections(expected[p.Index], reply.GetProperty("prediction").GetProperty("detections"));
        }
        foreach (var id in clients)
        {
            Assert.Equal(cuts.Length, (await server.Client.ClientAsync(id)).GetProperty("inference_count").GetInt64());
        }
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_id_make_one_client()
    {
        var id = server.NewClientId("racer");
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => server.Client.RegisterAsync(id))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(replies, r => Assert.Equal(ScriptedDevice.Fomo, r.GetProperty("model_name").GetString()));

        using var list = await server.Client.GetAsync("/api/clients");
        Assert.Single((await ServerHttp.OkJsonAsync(list)).EnumerateArray(), c => c.GetProperty("client_id").GetString() == id);
    }
}
