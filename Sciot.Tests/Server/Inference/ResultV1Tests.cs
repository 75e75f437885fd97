using System.Net;
using Sciot.Core.Protocol;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

[Collection(ServerCollection.Name)]
public sealed class ResultV1Tests(ServerFixture server)
{
    private HttpClient Http => server.Client;
    private ScriptedDevice Device => server.Device;

    [Fact]
    public async Task V1_at_a_two_tensor_cut_is_422_pointing_to_v2_and_naming_both_tensors()
    {
        var id = server.NewClientId("v1");
        await Http.RegisterAsync(id);
        var cut = Device.Package(ScriptedDevice.Fomo).Graph.Cut(20);
        Assert.Equal(2, cut.LiveTensors.Count);
        // What a reference client sends: only the output of layer 20, NHWC.
        var frame = Device.Frame(ScriptedDevice.Fomo, 2);
        var output = Device.Head(ScriptedDevice.Fomo, 20, frame).Single(t => t.Name == Device.Package(ScriptedDevice.Fomo).Graph.Layers[20].Output);
        var nhwc = TensorLayout.NchwToNhwc(output.Data, output.Shape[1], output.Shape[2], output.Shape[3]);
        var payload = new ResultPayloadV1(1722000000.25, id, 1, 20, nhwc, Device.LayerTimes(20)).Encode();

        using var response = await Http.PostResultAsync(id, payload);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("v2", problem.Detail());
        foreach (var name in cut.LiveNames)
        {
            Assert.Contains(name, problem.Detail());
        }
        Assert.Equal(0, (await Http.ClientAsync(id)).GetProperty("inference_count").GetInt64());
    }

    [Fact]
    public async Task V1_at_a_single_tensor_cut_is_accepted_and_predicts_like_the_local_run()
    {
        var id = server.NewClientId("v1");
        await Http.RegisterAsync(id);
        Assert.Single(Device.Package(ScriptedDevice.Fomo).Graph.Cut(10).LiveTensors);
        var frame = Device.Frame(ScriptedDevice.Fomo, 8);

        var reply = await Http.PostResultOkAsync(id, Device.V1(ScriptedDevice.Fomo, 10, frame, id, messageId: 5));
        Assert.Equal(10, reply.GetProperty("offloading_layer_index").GetInt32());
        Assert.Equal(5u, reply.GetProperty("message_id").GetUInt32());
        Assert.Equal("fomo", reply.GetProperty("prediction").GetProperty("kind").GetString());
        // A layout mix-up (NHWC read as NCHW) would change the heat map, so equal detections prove the transposition.
        PredictionAssert.SameDetections(Device.LocalDetections(ScriptedDevice.Fomo, frame), reply.GetProperty("prediction").GetProperty("detections"));
    }

    [Fact]
    public async Task V1_bandwidth_is_timed_to_the_end_of_the_upload_not_to_the_start_of_the_request()
    {
        // Kestrel, not the in-memory test server: only a real socket hands the request over before its body is in.
        await using var factory = new SciotServerFactory();
        using var http = new HttpClient { BaseAddress = factory.StartOnRealPort(), Timeout = TimeSpan.FromSeconds(10) };
        await factory.WaitForCalibrationAsync();
        const string id = "v1slow";
        await http.RegisterAsync(id);
        var body = Device.V1(ScriptedDevice.Fomo, 10, Device.Frame(ScriptedDevice.Fomo, 3), id);
        var pause = TimeSpan.FromMilliseconds(400);

        using var content = new PausingContent(body, pause);
        using var response = await http.PostAsync($"/api/device_inference_result?client_id={id}", content);

        response.EnsureSuccessStatusCode();
        // The body's second half arrives at least the pause after the device's timestamp; timed from the request's
        // start (headers only), the same upload looked hundreds of times faster.
        var bandwidth = (await http.ClientAsync(id)).GetProperty("bandwidth_bytes_per_second").GetDouble();
        Assert.True(bandwidth <= body.Length / pause.TotalSeconds, $"{bandwidth:F0} B/s for {body.Length} bytes that took over {pause.TotalSeconds} s");
    }

    /// <summary>Sends the first half of a body, waits, then the rest: an upload over a slow link.</summary>
    private sealed class PausingContent(byte[] body, TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            await Task.Delay(pause);
            await stream.WriteAsync(body.AsMemory(body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    [Fact]
    public async Task V1_written_byte_by_byte_from_the_reference_layout_is_accepted()
    {
        var id = server.NewClientId("raw");
        await Http.RegisterAsync(id);
        var frame = Device.Frame(ScriptedDevice.Fomo, 5);
        var live = Device.Head(ScriptedDevice.Fomo, 6, frame).Single();
        var nhwc = TensorLayout.NchwToNhwc(live.Data, live.Shape[1], live.Shape[2], live.Shape[3]);
        var times = Device.LayerTimes(6);

        // The layout as the reference firmware writes it, little-endian, with no help from ResultPayloadV1.
        using var bytes = new MemoryStream();
        using (var w = new BinaryWriter(bytes))
        {
            w.Write(1_764_300_000.25);
            w.Write("raw_dev\0\0"u8);
            w.Write("0001"u8);
            w.Write(6);
            w.Write((uint)(nhwc.Length * 4));
            foreach (var v in nhwc)
            {
                w.Write(v);
            }
            w.Write(times.Length * 4);
            foreach (var t in times)
            {
                w.Write(t);
            }
        }

        var reply = await Http.PostResultOkAsync(id, bytes.ToArray());

        Assert.Equal(6, reply.GetProperty("offloading_layer_index").GetInt32());
        Assert.Equal(0x31303030u, reply.GetProperty("message_id").GetUInt32());
        PredictionAssert.SameDetections(Device.LocalDetections(ScriptedDevice.Fomo, frame), reply.GetProperty("prediction").GetProperty("detections"));
    }

    [Fact]
    public async Task V1_without_client_id_is_attributed_by_its_device_id()
    {
        // The v1 device id field holds at most 9 characters, so the reference firmware registers with a short id.
        const string id = "dev_v1";
        await Http.RegisterAsync(id);
        var other = server.NewClientId("bystander");
        await Http.RegisterAsync(other);

        var reply = await Http.PostResultOkAsync(null, Device.V1(ScriptedDevice.Fomo, 10, Device.Frame(ScriptedDevice.Fomo, 3), id));
        Assert.Equal(id, reply.GetProperty("client_id").GetString());
        Assert.Equal(1, (await Http.ClientAsync(id)).GetProperty("inference_count").GetInt64());
        Assert.Equal(0, (await Http.ClientAsync(other)).GetProperty("inference_count").GetInt64());
    }

    [Fact]
    public async Task V1_full_run_reported_as_minus_one_fills_the_profile()
    {
        // The reference client sends -1 and every layer's time when the whole model ran on the device.
        var id = server.NewClientId("v1full");
        await Http.RegisterAsync(id);
        var frame = Device.Frame(ScriptedDevice.Fomo, 3);
        var output = Device.Head(ScriptedDevice.Fomo, 58, frame).Single();
        var nhwc = TensorLayout.NchwToNhwc(output.Data, output.Shape[1], output.Shape[2], output.Shape[3]);
        var payload = new ResultPayloadV1(1722000000.25, "v1full", 1, -1, nhwc, Device.LayerTimes(58)).Encode();

        var reply = await Http.PostResultOkAsync(id, payload);
        Assert.Equal(await Http.PlannedSplitAsync(id), reply.GetProperty("next_offloading_layer").GetInt32());
        PredictionAssert.SameDetections(Device.LocalDetections(ScriptedDevice.Fomo, frame), reply.GetProperty("prediction").GetProperty("detections"));
    }

    [Theory]
    [InlineData(4, "timestamp")]
    [InlineData(12, "device_id")]
    [InlineData(23, "offloading_layer_index")]
    [InlineData(1000, "tensor_bytes")]
    public async Task Truncated_v1_is_a_400_problem_naming_the_field(int length, string field)
    {
        var id = server.NewClientId("trunc");
        await Http.RegisterAsync(id);
        var payload = Device.V1(ScriptedDevice.Fomo, 10, Device.Frame(ScriptedDevice.Fomo, 3), "trunc");

        using var response = await Http.PostResultAsync(id, payload[..length]);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.Field());
        Assert.Contains(field, problem.Detail());
    }

    [Fact]
    public async Task Trailing_bytes_after_a_v1_payload_are_a_400()
    {
        var id = server.NewClientId("trail");
        await Http.RegisterAsync(id);
        var payload = Device.V1(ScriptedDevice.Fomo, 10, Device.Frame(ScriptedDevice.Fomo, 3), "trail");

        using var response = await Http.PostResultAsync(id, [.. payload, 0, 0, 0, 0]);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("payload", problem.Field());
    }

    [Fact]
    public async Task V1_tensor_of_the_wrong_size_for_the_cut_is_422()
    {
        var id = server.NewClientId("v1size");
        await Http.RegisterAsync(id);
        var payload = new ResultPayloadV1(1722000000.25, "v1size", 1, 10, new float[100], Device.LayerTimes(10)).Encode();

        using var response = await Http.PostResultAsync(id, payload);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("tensor_bytes", problem.Field());
    }

    [Fact]
    public async Task Empty_body_is_a_400()
    {
        var id = server.NewClientId("empty");
        await Http.RegisterAsync(id);
        using var response = await Http.PostResultAsync(id, []);
        await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
