using System.Net;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

/// <summary>A server of its own with a 64 KiB request limit, so that an ordinary v2 payload is already too large.</summary>
public sealed class RequestSizeLimitTests : IAsyncLifetime
{
    private const int Limit = 65536;
    private readonly SciotServerFactory _factory = new(settings: new Dictionary<string, string?> { ["Sciot:Server:MaxRequestBytes"] = Limit.ToString() });
    private readonly ScriptedDevice _device = new();
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _http = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        _device.Dispose();
    }

    [Fact]
    public async Task Oversize_frame_is_413_problem_and_the_server_keeps_serving()
    {
        var id = "big_1";
        await _http.RegisterAsync(id);

        using var response = await _http.PostAsync($"/api/device_input?client_id={id}", ServerHttp.Binary(new byte[Limit + 1]));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        // A frame's own limit (the model's input size) is below the configured one, so that is what the answer names.
        Assert.Contains((96 * 96 * 2).ToString(), problem.Detail());

        using var next = await _http.PostAsync($"/api/device_input?client_id={id}", ServerHttp.Binary(new byte[96 * 96 * 2]));
        await ServerHttp.OkJsonAsync(next);
    }

    [Fact]
    public async Task Oversize_body_without_content_length_is_413_too()
    {
        var id = "big_2";
        await _http.RegisterAsync(id);
        // A streamed (chunked) upload does not announce its size; the reader must stop at the limit by itself.
        var content = new StreamContent(new MemoryStream(new byte[Limit * 3]));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/device_inference_result?client_id={id}") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _http.SendAsync(request);
        await ServerHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(-1, (await _http.DecisionAsync(id)).Layer);
    }

    [Fact]
    public async Task Oversize_v2_result_is_413_and_a_small_result_still_works()
    {
        var id = "big_3";
        await _http.RegisterAsync(id);
        var frame = _device.Frame(ScriptedDevice.Fomo, 1);
        var large = _device.V2(ScriptedDevice.Fomo, 20, frame);
        Assert.True(large.Length > Limit);

        using var response = await _http.PostResultAsync(id, large);
        await ServerHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);

        var reply = await _http.PostResultOkAsync(id, _device.V2(ScriptedDevice.Fomo, 58, frame));
        Assert.Equal("fomo", reply.GetProperty("prediction").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Oversize_registration_body_is_413()
    {
        var json = "{\"client_id\":\"" + new string('a', Limit) + "\"}";
        using var response = await _http.PostAsync("/api/registration", ServerHttp.RawJson(json));
        await ServerHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        using var alive = await _http.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
