using System.Net;
using System.Text.Json;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Persistence;

/// <summary>Two servers one after the other on the same data folder: what the first learned, the second knows.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dataPath = SciotServerFactory.NewTempFolder();
    private readonly ScriptedDevice _device = new();

    [Fact]
    public async Task Assignment_statistics_and_records_survive_a_restart()
    {
        const string moved = "persist_a";
        const string stayed = "persist_b";
        var times = _device.LayerTimes(37);
        await using (var first = new SciotServerFactory(_dataPath))
        {
            using var http = first.CreateClient();
            using var op = OperatorClient(first);
            await http.RegisterAsync(moved, new { ram_kb = 320, device_class = "esp32s3" });
            await http.RegisterAsync(stayed);
            using var reassign = await op.PostAsync($"/api/operator/clients/{moved}/model", ServerHttp.Json(new { model_name = ScriptedDevice.MobileNetLite }));
            await ServerHttp.OkJsonAsync(reassign);
            var reply = await http.PostResultOkAsync(moved, _device.V2(ScriptedDevice.MobileNetLite, 37, _device.Frame(ScriptedDevice.MobileNetLite, 1), layerTimes: times));
            Assert.Equal(ScriptedDevice.MobileNetLite, reply.GetProperty("model_name").GetString());
        }
        Assert.True(File.Exists(Path.Combine(_dataPath, "sciot.db")));

        await using var second = new SciotServerFactory(_dataPath);
        using var http2 = second.CreateClient();
        using var op2 = OperatorClient(second);

        // Known before anyone registers again.
        var restored = await http2.ClientAsync(moved);
        Assert.Equal(ScriptedDevice.MobileNetLite, restored.GetProperty("model_name").GetString());
        Assert.Equal(1, restored.GetProperty("inference_count").GetInt64());
        Assert.Equal(320, restored.GetProperty("capabilities").GetProperty("ram_kb").GetInt32());
        var emas = restored.GetProperty("device_seconds_ema").EnumerateArray().ToList();
        Assert.Equal(38, emas.Count);
        for (var i = 0; i < emas.Count; i++)
        {
            Assert.Equal(times[i], emas[i].GetDouble(), 1e-6);
        }

        // Sticky: registering again keeps the operator's choice, not the default model.
        var again = await http2.RegisterAsync(moved);
        Assert.Equal(ScriptedDevice.MobileNetLite, again.GetProperty("model_name").GetString());
        Assert.Equal(_device.Package(ScriptedDevice.MobileNetLite).Manifest.Version, again.GetProperty("model_version").GetString());
        Assert.StartsWith("sticky", again.GetProperty("assignment_reason").GetString());
        // The restored profile is complete, so the planner decides at once instead of asking for a full local run.
        // Planned on calibrated edge times: before calibration ends they are still changing under the decision.
        await second.WaitForCalibrationAsync();
        var decision = await http2.DecisionAsync(moved);
        Assert.Equal(ScriptedDevice.MobileNetLite, decision.Model);
        Assert.Equal(await http2.PlannedSplitAsync(moved), decision.Layer);

        using var list = await http2.GetAsync("/api/clients");
        var clients = (await ServerHttp.OkJsonAsync(list)).EnumerateArray().ToDictionary(c => c.GetProperty("client_id").GetString()!);
        Assert.Equal(1, clients[moved].GetProperty("inference_count").GetInt64());
        Assert.Equal(0, clients[stayed].GetProperty("inference_count").GetInt64());
        Assert.Equal(ScriptedDevice.Fomo, clients[stayed].GetProperty("model_name").GetString());

        using var csv = await op2.GetAsync("/api/operator/inferences.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var rows = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var row = Assert.Single(rows).Split(',');
        Assert.Equal([moved, ScriptedDevice.MobileNetLite, "37"], row[2..5]);

        // Counting goes on from the restored value.
        await http2.PostResultOkAsync(moved, _device.V2(ScriptedDevice.MobileNetLite, 37, _device.Frame(ScriptedDevice.MobileNetLite, 2), layerTimes: times));
        Assert.Equal(2, (await http2.ClientAsync(moved)).GetProperty("inference_count").GetInt64());
    }

    [Fact]
    public async Task Reset_statistics_survives_a_restart()
    {
        const string id = "persist_r";
        await using (var first = new SciotServerFactory(_dataPath))
        {
            using var http = first.CreateClient();
            using var op = OperatorClient(first);
            await http.RegisterAsync(id);
            await http.PostResultOkAsync(id, _device.V2(ScriptedDevice.Fomo, 58, _device.Frame(ScriptedDevice.Fomo, 1)));
            using var reset = await op.PostAsync("/api/operator/reset_statistics", null);
            await ServerHttp.OkJsonAsync(reset);
        }

        await using var second = new SciotServerFactory(_dataPath);
        using var http2 = second.CreateClient();
        var restored = await http2.ClientAsync(id);
        Assert.All(restored.GetProperty("device_seconds_ema").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.ValueKind));
        Assert.Equal(-1, (await http2.DecisionAsync(id)).Layer);
    }

    [Fact]
    public async Task Statistics_dropped_by_a_model_change_stay_dropped_after_a_restart()
    {
        // fomo profile -> mobilenet_lite -> back to fomo: the old fomo times were discarded with the first change,
        // and a restart must not bring them back.
        const string id = "persist_m";
        await using (var first = new SciotServerFactory(_dataPath))
        {
            using var http = first.CreateClient();
            using var op = OperatorClient(first);
            await http.RegisterAsync(id);
            await http.PostResultOkAsync(id, _device.V2(ScriptedDevice.Fomo, 58, _device.Frame(ScriptedDevice.Fomo, 1)));
            Assert.NotEqual(-1, (await http.DecisionAsync(id)).Layer);
            foreach (var model in new[] { ScriptedDevice.MobileNetLite, ScriptedDevice.Fomo })
            {
                using var reassign = await op.PostAsync($"/api/operator/clients/{id}/model", ServerHttp.Json(new { model_name = model }));
                await ServerHttp.OkJsonAsync(reassign);
            }
            Assert.Equal(-1, (await http.DecisionAsync(id)).Layer);
        }

        await using var second = new SciotServerFactory(_dataPath);
        using var http2 = second.CreateClient();
        var restored = await http2.ClientAsync(id);
        Assert.All(restored.GetProperty("device_seconds_ema").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.ValueKind));
        Assert.Equal(-1, (await http2.DecisionAsync(id)).Layer);
    }

    private static HttpClient OperatorClient(SciotServerFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", SciotServerFactory.ApiKey);
        return client;
    }

    public void Dispose()
    {
        _device.Dispose();
        SciotServerFactory.DeleteFolder(_dataPath);
    }
}
