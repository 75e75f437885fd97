using System.Net;
using Sciot.Core.Tensors;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

[Collection(ServerCollection.Name)]
public sealed class ResultV2Tests(ServerFixture server)
{
    private HttpClient Http => server.Client;
    private ScriptedDevice Device => server.Device;

    [Fact]
    public async Task Residual_cut_round_trip_gives_the_prediction_of_the_whole_model()
    {
        var id = server.NewClientId("v2");
        await Http.RegisterAsync(id);
        var cut = Device.Package(ScriptedDevice.Fomo).Graph.Cut(20);
        Assert.Equal(2, cut.LiveTensors.Count);
        var frame = Device.Frame(ScriptedDevice.Fomo, 8);
        var expected = Device.LocalDetections(ScriptedDevice.Fomo, frame);
        Assert.NotEmpty(expected);

        var payload = Device.V2Payload(ScriptedDevice.Fomo, 20, frame, messageId: 77);
        Assert.Equal(cut.LiveNames, payload.Tensors.Select(t => t.Name));
        var reply = await Http.PostResultOkAsync(id, payload.Encode());

        Assert.Equal("Success", reply.GetProperty("message").GetString());
        Assert.Equal(id, reply.GetProperty("client_id").GetString());
        Assert.Equal(77u, reply.GetProperty("message_id").GetUInt32());
        Assert.Equal(20, reply.GetProperty("offloading_layer_index").GetInt32());
        Assert.Equal(ScriptedDevice.Fomo, reply.GetProperty("model_name").GetString());
        Assert.True(reply.TryGetProperty("next_offloading_layer", out var next), reply.ToString());
        // Layer times are known for layers 0..20 only, so the next cycle must measure every layer.
        Assert.Equal(-1, next.GetInt32());
        Assert.True(reply.GetProperty("edge_seconds").GetDouble() > 0);
        Assert.True(reply.GetProperty("processing_seconds").GetDouble() >= reply.GetProperty("edge_seconds").GetDouble());
        Assert.Equal(payload.LayerTimesSeconds.Sum(), reply.GetProperty("device_seconds").GetDouble(), 1e-4);

        var prediction = reply.GetProperty("prediction");
        Assert.Equal("fomo", prediction.GetProperty("kind").GetString());
        PredictionAssert.SameDetections(expected, prediction.GetProperty("detections"));
    }

    [Fact]
    public async Task Every_cut_of_fomo_agrees_with_the_local_run()
    {
        var id = server.NewClientId("allcuts");
        await Http.RegisterAsync(id);
        var frame = Device.Frame(ScriptedDevice.Fomo, 3);
        var expected = Device.LocalDetections(ScriptedDevice.Fomo, frame);
        for (var k = 0; k <= 58; k++)
        {
            var reply = await Http.PostResultOkAsync(id, Device.V2(ScriptedDevice.Fomo, k, frame, messageId: (uint)k));
            Assert.Equal(k, reply.GetProperty("offloading_layer_index").GetInt32());
            PredictionAssert.SameDetections(expected, reply.GetProperty("prediction").GetProperty("detections"));
        }
        Assert.Equal(59, (await Http.ClientAsync(id)).GetProperty("inference_count").GetInt64());
    }

    [Fact]
    public async Task Wrong_model_version_is_a_409_conflict()
    {
        var id = server.NewClientId("stale");
        await Http.RegisterAsync(id);
        var payload = Device.V2Payload(ScriptedDevice.Fomo, 20, Device.Frame(ScriptedDevice.Fomo, 2)) with { ModelVersion = new string('0', 64) };

        using var response = await Http.PostResultAsync(id, payload.Encode());
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains(Device.Package(ScriptedDevice.Fomo).Manifest.Version, problem.Detail());
        Assert.Equal(0, (await Http.ClientAsync(id)).GetProperty("inference_count").GetInt64());
    }

    [Fact]
    public async Task Payload_for_another_model_is_a_409_conflict()
    {
        var id = server.NewClientId("other");
        await Http.RegisterAsync(id);
        var payload = Device.V2(ScriptedDevice.MobileNetLite, 5, Device.Frame(ScriptedDevice.MobileNetLite, 2));
        using var response = await Http.PostResultAsync(id, payload);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains(ScriptedDevice.MobileNetLite, problem.Detail());
    }

    [Theory]
    [InlineData(20)]
    [InlineData(22)]
    [InlineData(0)]
    public async Task Layer_time_count_other_than_k_plus_one_is_422(int times)
    {
        var id = server.NewClientId("times");
        await Http.RegisterAsync(id);
        var payload = Device.V2(ScriptedDevice.Fomo, 20, Device.Frame(ScriptedDevice.Fomo, 2), layerTimes: new float[times]);

        using var response = await Http.PostResultAsync(id, payload);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("21 layer times", problem.Detail());
        Assert.Contains($"got {times}", problem.Detail());
    }

    [Fact]
    public async Task Residual_cut_with_only_one_of_its_two_tensors_is_422_naming_the_missing_one()
    {
        var id = server.NewClientId("half");
        await Http.RegisterAsync(id);
        var full = Device.V2Payload(ScriptedDevice.Fomo, 20, Device.Frame(ScriptedDevice.Fomo, 2));
        var half = full with { Tensors = [full.Tensors[1]] };

        using var response = await Http.PostResultAsync(id, half.Encode());
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(full.Tensors[0].Name, problem.Detail());
    }

    [Fact]
    public async Task Tensor_with_the_wrong_shape_is_422()
    {
        var id = server.NewClientId("shape");
        await Http.RegisterAsync(id);
        var full = Device.V2Payload(ScriptedDevice.Fomo, 16, Device.Frame(ScriptedDevice.Fomo, 2));
        var tensor = full.Tensors[0];
        var wrong = full with { Tensors = [new NamedTensor(tensor.Name, [1, tensor.Shape[1] * 2, tensor.Shape[2], tensor.Shape[3] / 2], tensor.Data)] };

        using var response = await Http.PostResultAsync(id, wrong.Encode());
        await ServerHttp.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(1000)]
    public async Task Layer_beyond_the_model_is_422(int k)
    {
        var id = server.NewClientId("beyond");
        await Http.RegisterAsync(id);
        var valid = Device.V2Payload(ScriptedDevice.Fomo, 58, Device.Frame(ScriptedDevice.Fomo, 2));
        var payload = valid with { OffloadingLayerIndex = k, LayerTimesSeconds = new float[k + 1] };

        using var response = await Http.PostResultAsync(id, payload.Encode());
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("offloading_layer_index", problem.Field());
    }

    [Fact]
    public async Task Corrupt_v2_header_is_a_400_naming_the_field()
    {
        var id = server.NewClientId("corrupt");
        await Http.RegisterAsync(id);
        var bytes = Device.V2(ScriptedDevice.Fomo, 58, Device.Frame(ScriptedDevice.Fomo, 2));
        bytes[9] ^= 0xFF; // inside the JSON header

        using var response = await Http.PostResultAsync(id, bytes);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem.Field());
    }
}
