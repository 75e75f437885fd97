using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Sciot.Client.Connectivity;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Client;

/// <summary>A reply the device cannot use is a server problem: the API says so in an exception the device loop answers by running locally.</summary>
public sealed class MalformedReplyTests : IDisposable
{
    private readonly SciotServerFactory _server = new();

    [Theory]
    [InlineData("5", "5")]
    [InlineData("[1,2]", "[1,2]")]
    [InlineData("""{"detail":5}""", "5")]
    [InlineData("""{"detail":"model busy"}""", "model busy")]
    public async Task A_refusal_with_any_json_body_is_a_server_rejection_carrying_its_detail(string body, string detail)
    {
        using var http = new HttpClient(new FixedReply(HttpStatusCode.InternalServerError, body)) { BaseAddress = new Uri("http://edge.test") };

        var e = await Assert.ThrowsAsync<ServerRejectedException>(() => new ServerApi(http, http).GetDecisionAsync("dev", CancellationToken.None));

        Assert.Equal((HttpStatusCode.InternalServerError, detail), (e.Status, e.Detail));
    }

    [Fact]
    public async Task A_model_description_without_a_manifest_is_invalid_data()
    {
        using var http = new HttpClient(new FixedReply(HttpStatusCode.OK, "[]")) { BaseAddress = new Uri("http://edge.test") };

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => new ServerApi(http, http).GetManifestAsync("fomo_96x96", CancellationToken.None));

        Assert.Equal("/api/models/fomo_96x96: the reply has no manifest", e.Message);
    }

    [Theory]
    [InlineData("/api/device_inference_result", "prediction")]
    [InlineData("/api/device_inference_result", "prediction.detections")]
    [InlineData("/api/offloading_layer", "model_name")]
    public async Task A_reply_with_a_required_field_null_makes_the_device_run_the_cycle_locally(string path, string field)
    {
        var link = new NullingHandler(_server.Server.CreateHandler(), path, field);
        using var http = new HttpClient(link) { BaseAddress = _server.Server.BaseAddress };
        using var device = TestDevices.Create("dev_malformed", http);
        await device.StartAsync(CancellationToken.None);

        var report = await device.RunCycleAsync(CancellationToken.None);

        Assert.Equal(1, link.Nulled);
        Assert.False(report.Split);
        Assert.NotNull(report.LocalDetections);
        Assert.StartsWith($"The property or field '{field.Split('.')[^1]}'", report.Problem);
        Assert.Equal((1L, 0L, 0L), (device.LocalOnlyCycles, device.AcknowledgedResults, device.FailedCycles));
    }

    /// <summary>Answers every request with <paramref name="status"/> and a JSON <paramref name="body"/>.</summary>
    private sealed class FixedReply(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }

    /// <summary>Passes the server's replies on, with <paramref name="field"/> (a dotted path) set to null in the 200 replies of <paramref name="path"/>.</summary>
    private sealed class NullingHandler(HttpMessageHandler inner, string path, string field) : DelegatingHandler(inner)
    {
        public int Nulled { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri?.AbsolutePath != path || response.StatusCode != HttpStatusCode.OK)
            {
                return response;
            }
            var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            var names = field.Split('.');
            var parent = names[..^1].Aggregate(reply, (node, name) => node[name]!);
            parent[names[^1]] = null;
            Nulled++;
            response.Content = new StringContent(reply.ToJsonString(), Encoding.UTF8, "application/json");
            return response;
        }
    }

    public void Dispose() => _server.Dispose();
}
