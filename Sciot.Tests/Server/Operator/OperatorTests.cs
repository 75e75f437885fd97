using System.Net;
using System.Text.Json;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Operator;

[Collection(ServerCollection.Name)]
public sealed class OperatorTests(ServerFixture server)
{
    private HttpClient Device => server.Client;
    private HttpClient Operator => server.Operator;

    public static TheoryData<string> OperatorEndpoints => new()
    {
        "/api/operator/refresh",
        "/api/operator/rebalance",
        "/api/operator/reset_statistics",
        "/api/operator/clients/anyone/model",
        "/api/operator/clients/anyone/force_layer",
    };

    [Theory]
    [MemberData(nameof(OperatorEndpoints))]
    public async Task Operator_endpoint_without_the_key_is_401_problem(string path)
    {
        using var response = await Device.PostAsync(path, ServerHttp.Json(new { layer = 1, model_name = "mobilenet_lite" }));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.Detail());
    }

    [Fact]
    public async Task Wrong_key_is_401_and_the_csv_export_needs_the_key_too()
    {
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/operator/refresh");
        wrong.Headers.Add("X-Api-Key", "test-kez");
        using var response = await Device.SendAsync(wrong);
        await ServerHttp.AssertProblemAsync(response, HttpStatusCode.Unauthorized);

        using var export = await Device.GetAsync("/api/operator/inferences.csv");
        await ServerHttp.AssertProblemAsync(export, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_sends_a_profiled_client_back_to_a_full_local_run_until_it_reports_one()
    {
        var id = await ProfiledClientAsync("refresh");
        Assert.Equal(await Device.PlannedSplitAsync(id), (await Device.DecisionAsync(id)).Layer);

        // Tests of this collection run one at a time, so the registered clients are the ones the refresh reaches.
        var registered = (await Device.ClientsAsync()).Length;
        using var response = await Operator.PostAsync("/api/operator/refresh", null);
        var reply = await ServerHttp.OkJsonAsync(response);
        Assert.Equal(registered, reply.GetProperty("clients").GetInt32());

        var (layer, _, reason) = await Device.DecisionAsync(id);
        Assert.Equal(-1, layer);
        Assert.Contains("refresh", reason);
        // Still -1 on the next ask: the refresh lasts until the device has reported a full run.
        Assert.Equal(-1, (await Device.DecisionAsync(id)).Layer);

        var result = await Device.PostResultOkAsync(id, FullRun(server.Device.Frame(ScriptedDevice.Fomo, 2)));
        var planned = await Device.PlannedSplitAsync(id);
        Assert.Equal(planned, result.GetProperty("next_offloading_layer").GetInt32());
        Assert.Equal(planned, (await Device.DecisionAsync(id)).Layer);
    }

    [Fact]
    public async Task Force_layer_overrides_the_decision_until_released()
    {
        var id = await ProfiledClientAsync("forced");

        await PostOkAsync($"/api/operator/clients/{id}/force_layer", new { layer = 7 });
        var (layer, _, reason) = await Device.DecisionAsync(id);
        Assert.Equal(7, layer);
        Assert.Contains("forced", reason);
        Assert.Equal(7, (await Device.ClientAsync(id)).GetProperty("forced_layer").GetInt32());
        // The reply to a result carries the forced layer as well.
        var result = await Device.PostResultOkAsync(id, server.Device.V2(ScriptedDevice.Fomo, 7, server.Device.Frame(ScriptedDevice.Fomo, 2)));
        Assert.Equal(7, result.GetProperty("next_offloading_layer").GetInt32());

        await PostOkAsync($"/api/operator/clients/{id}/force_layer", new { layer = (int?)null });
        // Released: the planner decides again (the result at k=7 changed its inputs, so not necessarily the earlier k).
        var released = await Device.DecisionAsync(id);
        Assert.Equal(await Device.PlannedSplitAsync(id), released.Layer);
        Assert.Contains("minimum estimated cost", released.Reason);
        Assert.False((await Device.ClientAsync(id)).TryGetProperty("forced_layer", out var forced) && forced.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task Force_layer_minus_one_and_last_layer_are_in_range()
    {
        var id = server.NewClientId("edges");
        await Device.RegisterAsync(id);
        await PostOkAsync($"/api/operator/clients/{id}/force_layer", new { layer = 58 });
        Assert.Equal(58, (await Device.DecisionAsync(id)).Layer);
        await PostOkAsync($"/api/operator/clients/{id}/force_layer", new { layer = -1 });
        Assert.Equal(-1, (await Device.DecisionAsync(id)).Layer);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(-2)]
    [InlineData(1000)]
    public async Task Force_layer_out_of_range_is_400(int layer)
    {
        var id = server.NewClientId("range");
        await Device.RegisterAsync(id);
        using var response = await Operator.PostAsync($"/api/operator/clients/{id}/force_layer", ServerHttp.Json(new { layer }));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("-1..58", problem.Detail());
        Assert.Equal(-1, (await Device.DecisionAsync(id)).Layer);
    }

    [Fact]
    public async Task Force_layer_for_an_unknown_client_is_404()
    {
        using var response = await Operator.PostAsync("/api/operator/clients/nobody_at_all/force_layer", ServerHttp.Json(new { layer = 3 }));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("nobody_at_all", problem.Detail());
    }

    [Fact]
    public async Task Reassignment_reaches_the_client_in_its_next_offloading_reply()
    {
        var id = await ProfiledClientAsync("moved");
        await PostOkAsync($"/api/operator/clients/{id}/model", new { model_name = ScriptedDevice.MobileNetLite });

        using var response = await Device.GetAsync($"/api/offloading_layer?client_id={id}");
        var decision = await ServerHttp.OkJsonAsync(response);
        Assert.Equal(ScriptedDevice.MobileNetLite, decision.GetProperty("model_name").GetString());
        Assert.Equal(server.Device.Package(ScriptedDevice.MobileNetLite).Manifest.Version, decision.GetProperty("model_version").GetString());
        // Layer k of one model says nothing about layer k of another: the profile starts over.
        Assert.Equal(-1, decision.GetProperty("offloading_layer_index").GetInt32());
        var described = await Device.ClientAsync(id);
        Assert.Equal(ScriptedDevice.MobileNetLite, described.GetProperty("model_name").GetString());
        Assert.Equal(38, described.GetProperty("device_seconds_ema").GetArrayLength());

        // A result for the old model is refused; one for the new model is accepted.
        using var stale = await Device.PostResultAsync(id, server.Device.V2(ScriptedDevice.Fomo, 58, server.Device.Frame(ScriptedDevice.Fomo, 1)));
        await ServerHttp.AssertProblemAsync(stale, HttpStatusCode.Conflict);
        var frame = server.Device.Frame(ScriptedDevice.MobileNetLite, 8);
        var reply = await Device.PostResultOkAsync(id, server.Device.V2(ScriptedDevice.MobileNetLite, 12, frame));
        Assert.Equal(ScriptedDevice.MobileNetLite, reply.GetProperty("model_name").GetString());
        PredictionAssert.SameDetections(server.Device.LocalDetections(ScriptedDevice.MobileNetLite, frame),
            reply.GetProperty("prediction").GetProperty("detections"));
    }

    [Fact]
    public async Task Reassignment_to_an_unknown_model_is_400_and_changes_nothing()
    {
        var id = server.NewClientId("nomodel");
        await Device.RegisterAsync(id);
        using var response = await Operator.PostAsync($"/api/operator/clients/{id}/model", ServerHttp.Json(new { model_name = "resnet_9000" }));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("resnet_9000", problem.Detail());
        Assert.Contains(ScriptedDevice.MobileNetLite, problem.Detail());
        Assert.Equal(ScriptedDevice.Fomo, (await Device.DecisionAsync(id)).Model);

        using var missing = await Operator.PostAsync($"/api/operator/clients/{id}/model", ServerHttp.Json(new { }));
        await ServerHttp.AssertProblemAsync(missing, HttpStatusCode.BadRequest);
        using var malformed = await Operator.PostAsync($"/api/operator/clients/{id}/model", ServerHttp.RawJson("{\"model_name\":"));
        await ServerHttp.AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Reset_statistics_clears_every_device_average()
    {
        var id = await ProfiledClientAsync("reset");
        Assert.All((await Device.ClientAsync(id)).GetProperty("device_seconds_ema").EnumerateArray(), e => Assert.Equal(JsonValueKind.Number, e.ValueKind));

        await PostOkAsync("/api/operator/reset_statistics", null);

        using var list = await Device.GetAsync("/api/clients");
        var clients = (await ServerHttp.OkJsonAsync(list)).EnumerateArray().ToList();
        Assert.NotEmpty(clients);
        Assert.All(clients, c => Assert.All(c.GetProperty("device_seconds_ema").EnumerateArray(), e => Assert.Equal(JsonValueKind.Null, e.ValueKind)));
        Assert.All(clients, c => Assert.All(c.GetProperty("device_samples").EnumerateArray(), s => Assert.Equal(0, s.GetInt64())));
        Assert.Equal(-1, (await Device.DecisionAsync(id)).Layer);
    }

    [Fact]
    public async Task Rebalance_applies_the_configured_strategy_to_every_client()
    {
        var id = server.NewClientId("rebal");
        await Device.RegisterAsync(id);
        await PostOkAsync($"/api/operator/clients/{id}/model", new { model_name = ScriptedDevice.MobileNetLite });

        var reply = await PostOkAsync("/api/operator/rebalance", null);
        Assert.Contains("default", reply.GetProperty("message").GetString());
        // The default strategy gives everyone fomo_96x96, so the hand-made assignment is undone and reported.
        var change = Assert.Single(reply.GetProperty("changes").EnumerateArray(), c => c.GetProperty("client_id").GetString() == id);
        Assert.Equal(ScriptedDevice.MobileNetLite, change.GetProperty("from").GetString());
        Assert.Equal(ScriptedDevice.Fomo, change.GetProperty("to").GetString());
        Assert.Equal(ScriptedDevice.Fomo, (await Device.DecisionAsync(id)).Model);
    }

    [Fact]
    public async Task Inference_export_has_a_row_per_accepted_result()
    {
        var id = server.NewClientId("csv");
        await Device.RegisterAsync(id);
        var frame = server.Device.Frame(ScriptedDevice.Fomo, 8);
        await Device.PostResultOkAsync(id, server.Device.V2(ScriptedDevice.Fomo, 20, frame));
        await Device.PostResultOkAsync(id, server.Device.V2(ScriptedDevice.Fomo, 58, frame));
        using var refused = await Device.PostResultAsync(id, server.Device.V2(ScriptedDevice.Fomo, 20, frame, layerTimes: new float[3]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);

        using var response = await Operator.GetAsync("/api/operator/inferences.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,time,client_id,model_name,layer,device_seconds,transfer_seconds,edge_seconds,bytes,prediction", lines[0]);
        var rows = lines.Where(l => l.Split(',')[2] == id).Select(l => l.Split(',')).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["20", "58"], rows.Select(r => r[4]));
        Assert.All(rows, r => Assert.Equal(ScriptedDevice.Fomo, r[3]));
        Assert.Equal(server.Device.Package(ScriptedDevice.Fomo).Graph.Cut(20).LiveBytes.ToString(), rows[0][8]);
        // The prediction column is quoted JSON (it contains commas).
        Assert.Contains("\"\"kind\"\":\"\"fomo\"\"", lines.First(l => l.Split(',')[2] == id));
    }

    private async Task<string> ProfiledClientAsync(string prefix)
    {
        var id = server.NewClientId(prefix);
        await Device.RegisterAsync(id);
        await Device.PostResultOkAsync(id, FullRun(server.Device.Frame(ScriptedDevice.Fomo, 3)));
        return id;
    }

    private byte[] FullRun(Sciot.Core.Tensors.NamedTensor frame) =>
        server.Device.V2(ScriptedDevice.Fomo, 58, frame, layerTimes: server.Device.Esp32LayerSeconds.Select(s => (float)s).ToArray());

    private async Task<JsonElement> PostOkAsync(string path, object? body)
    {
        using var response = await Operator.PostAsync(path, body is null ? null : ServerHttp.Json(body));
        return await ServerHttp.OkJsonAsync(response);
    }
}
