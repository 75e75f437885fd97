using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

[Collection(ServerCollection.Name)]
public sealed class OffloadingDecisionTests(ServerFixture server)
{
    private HttpClient Http => server.Client;

    [Fact]
    public async Task New_client_is_asked_to_run_every_layer_locally()
    {
        var id = server.NewClientId("fresh");
        await Http.RegisterAsync(id);

        var (layer, model, reason) = await Http.DecisionAsync(id);
        Assert.Equal(-1, layer);
        Assert.Equal(ScriptedDevice.Fomo, model);
        Assert.Contains("not yet known", reason);
    }

    [Fact]
    public async Task Full_local_run_gives_a_device_profile_and_then_a_planner_decision()
    {
        var id = server.NewClientId("profiled");
        await Http.RegisterAsync(id);
        Assert.Equal(-1, (await Http.DecisionAsync(id)).Layer);

        var times = server.Device.Esp32LayerSeconds.Select(s => (float)s).ToArray();
        Assert.Equal(59, times.Length);
        var reply = await Http.PostResultOkAsync(id, server.Device.V2(ScriptedDevice.Fomo, 58, server.Device.Frame(ScriptedDevice.Fomo, 3), layerTimes: times));

        Assert.Equal(58, reply.GetProperty("offloading_layer_index").GetInt32());
        var next = reply.GetProperty("next_offloading_layer").GetInt32();
        Assert.Equal(await Http.PlannedSplitAsync(id), next);
        var (layer, _, reason) = await Http.DecisionAsync(id);
        Assert.Equal(next, layer);
        Assert.Contains("minimum estimated cost", reason);

        var described = await Http.ClientAsync(id);
        Assert.Equal(1, described.GetProperty("inference_count").GetInt64());
        var emas = described.GetProperty("device_seconds_ema").EnumerateArray().ToList();
        Assert.Equal(59, emas.Count);
        // The first sample of an average is the sample itself.
        for (var i = 0; i < emas.Count; i++)
        {
            Assert.Equal(times[i], emas[i].GetDouble(), 1e-6);
        }
        Assert.All(described.GetProperty("device_samples").EnumerateArray(), s => Assert.Equal(1, s.GetInt64()));
        Assert.Equal(layer, described.GetProperty("current_split").GetInt32());
    }

    [Fact]
    public async Task A_partial_run_does_not_complete_the_profile()
    {
        var id = server.NewClientId("partial");
        await Http.RegisterAsync(id);
        await Http.PostResultOkAsync(id, server.Device.V2(ScriptedDevice.Fomo, 10, server.Device.Frame(ScriptedDevice.Fomo, 4)));

        Assert.Equal(-1, (await Http.DecisionAsync(id)).Layer);
        var emas = (await Http.ClientAsync(id)).GetProperty("device_seconds_ema").EnumerateArray().ToList();
        Assert.Equal(11, emas.Count(e => e.ValueKind == System.Text.Json.JsonValueKind.Number));
    }

    [Fact]
    public async Task Planner_follows_the_device_speed_at_a_known_bandwidth()
    {
        // Both clients report the same measured upload (10 MB/s), so only their device times differ: a device 1000x
        // slower than the ESP32-S3 must hand over right after layer 0, a device that computes in no time keeps every layer.
        var slow = server.NewClientId("slow");
        var instant = server.NewClientId("instant");
        await Http.RegisterAsync(slow);
        await Http.RegisterAsync(instant);
        var frame = server.Device.Frame(ScriptedDevice.Fomo, 5);
        var esp32 = server.Device.Esp32LayerSeconds;
        await Http.PostResultOkAsync(slow, FullRun(frame, esp32.Select(s => (float)(s * 1000)).ToArray()));
        await Http.PostResultOkAsync(instant, FullRun(frame, new float[esp32.Length]));

        Assert.Equal(0, (await Http.DecisionAsync(slow)).Layer);
        Assert.Equal(58, (await Http.DecisionAsync(instant)).Layer);
        var bandwidth = (await Http.ClientAsync(slow)).GetProperty("bandwidth_bytes_per_second").GetDouble();
        Assert.Equal(10e6, bandwidth, 1e-3);
    }

    [Fact]
    public async Task Unstable_device_times_trigger_a_local_inference_refresh()
    {
        // Window of 10 samples, threshold 0.15 (coefficient of variation): layer 3 alternating 0.1 s / 0.5 s is unstable,
        // the same device with steady times is not.
        var shaky = server.NewClientId("shaky");
        var steady = server.NewClientId("steady");
        await Http.RegisterAsync(shaky);
        await Http.RegisterAsync(steady);
        var frame = server.Device.Frame(ScriptedDevice.Fomo, 6);
        var esp32 = server.Device.Esp32LayerSeconds.Select(s => (float)s).ToArray();
        var replies = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            var times = (float[])esp32.Clone();
            times[3] = i % 2 == 0 ? 0.1f : 0.5f;
            replies.Add((await Http.PostResultOkAsync(shaky, FullRun(frame, times))).GetProperty("next_offloading_layer").GetInt32());
            if (i < 9)
            {
                Assert.Equal(await Http.PlannedSplitAsync(shaky), replies[i]);
            }
            var steadyNext = (await Http.PostResultOkAsync(steady, FullRun(frame, esp32))).GetProperty("next_offloading_layer").GetInt32();
            Assert.Equal(await Http.PlannedSplitAsync(steady), steadyNext);
        }

        Assert.Equal(-1, replies[9]);
        var (layer, _, reason) = await Http.DecisionAsync(shaky);
        Assert.Equal(-1, layer);
        Assert.Contains("variance", reason);
        Assert.Contains("3", reason);
        Assert.True((await Http.ClientAsync(shaky)).GetProperty("refresh_pending").GetBoolean());
        Assert.False((await Http.ClientAsync(steady)).GetProperty("refresh_pending").GetBoolean());

        // The refresh ends with the next full run (the window starts over, so one run does not trigger again).
        var after = await Http.PostResultOkAsync(shaky, FullRun(frame, esp32));
        Assert.Equal(await Http.PlannedSplitAsync(shaky), after.GetProperty("next_offloading_layer").GetInt32());
    }

    private byte[] FullRun(Sciot.Core.Tensors.NamedTensor frame, float[] times) =>
        (server.Device.V2Payload(ScriptedDevice.Fomo, 58, frame, layerTimes: times) with { UploadSeconds = 0.01, UploadBytes = 100_000 }).Encode();
}
