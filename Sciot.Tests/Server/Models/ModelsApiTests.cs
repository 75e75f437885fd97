using System.Net;
using System.Security.Cryptography;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Models;

[Collection(ServerCollection.Name)]
public sealed class ModelsApiTests(ServerFixture server)
{
    private HttpClient Http => server.Client;

    [Fact]
    public async Task Catalog_lists_both_shipped_models_with_versions_and_edge_costs()
    {
        using var response = await Http.GetAsync("/api/models");
        var models = (await ServerHttp.OkJsonAsync(response)).EnumerateArray().ToList();

        Assert.Equal([ScriptedDevice.Fomo, ScriptedDevice.MobileNetLite], models.Select(m => m.GetProperty("name").GetString()));
        foreach (var model in models)
        {
            var name = model.GetProperty("name").GetString()!;
            var package = server.Device.Package(name);
            Assert.Equal(package.Manifest.Version, model.GetProperty("version").GetString());
            Assert.Equal(package.Graph.Layers.Count, model.GetProperty("layer_count").GetInt32());
            Assert.Equal(package.Graph.LastLayer, model.GetProperty("last_offloading_layer").GetInt32());
            Assert.Equal($"/api/models/{name}/onnx", model.GetProperty("url").GetString());
            // Calibrated before the tests started: every model has a measured, positive edge cost.
            Assert.True(model.GetProperty("edge_seconds").GetDouble() > 0, name);
        }
        Assert.Equal(59, models[0].GetProperty("layer_count").GetInt32());
        Assert.Equal(38, models[1].GetProperty("layer_count").GetInt32());
    }

    [Fact]
    public async Task Fomo_manifest_has_every_cut_with_its_live_tensors()
    {
        using var response = await Http.GetAsync("/api/models/fomo_96x96");
        var reply = await ServerHttp.OkJsonAsync(response);

        var manifest = reply.GetProperty("manifest");
        Assert.Equal("fomo_96x96", manifest.GetProperty("name").GetString());
        Assert.Equal(server.Device.Package(ScriptedDevice.Fomo).Manifest.Version, manifest.GetProperty("version").GetString());
        Assert.Equal(["background", "circle", "square"], manifest.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));

        var cuts = reply.GetProperty("cuts").EnumerateArray().ToList();
        Assert.Equal(60, cuts.Count);
        Assert.Equal(Enumerable.Range(-1, 60), cuts.Select(c => c.GetProperty("layer").GetInt32()));

        var graph = server.Device.Package(ScriptedDevice.Fomo).Graph;
        var cut20 = cuts.Single(c => c.GetProperty("layer").GetInt32() == 20);
        var live = cut20.GetProperty("live_tensors").EnumerateArray().ToList();
        Assert.Equal(2, live.Count);
        Assert.Equal(graph.Cut(20).LiveNames, live.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([1, 8, 24, 24], live[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(18432 + 110592, cut20.GetProperty("live_bytes").GetInt64());
        Assert.Equal(live.Sum(t => t.GetProperty("bytes").GetInt64()), cut20.GetProperty("live_bytes").GetInt64());

        // As the README states: 24 cuts cross the network with two tensors.
        Assert.Equal(24, cuts.Count(c => c.GetProperty("live_tensors").GetArrayLength() == 2));
        // Decision -1 runs every layer on the device, which then sends the model's output: the table says so.
        var local = Assert.Single(cuts[0].GetProperty("live_tensors").EnumerateArray());
        Assert.Equal("softmax", local.GetProperty("name").GetString());
        Assert.Equal([1, 3, 12, 12], local.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(1728, cuts[0].GetProperty("live_bytes").GetInt64());
        Assert.Equal(59, cuts[0].GetProperty("device_layers").GetInt32());
        Assert.Equal(21, cut20.GetProperty("device_layers").GetInt32());
        Assert.Equal(cuts[^1].GetProperty("live_tensors").GetRawText(), cuts[0].GetProperty("live_tensors").GetRawText());
        Assert.Equal(59, reply.GetProperty("edge_seconds_per_layer").GetArrayLength());
    }

    [Theory]
    [InlineData(ScriptedDevice.Fomo)]
    [InlineData(ScriptedDevice.MobileNetLite)]
    public async Task Onnx_download_hashes_to_its_header_and_the_manifest_version(string name)
    {
        using var response = await Http.GetAsync($"/api/models/{name}/onnx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));

        Assert.Equal(hash, Assert.Single(response.Headers.GetValues("X-Model-Sha256")));
        Assert.Equal(server.Device.Package(name).Manifest.Version, hash);
        Assert.Equal(File.ReadAllBytes(server.Device.Package(name).OnnxPath), bytes);
    }

    [Theory]
    [InlineData("/api/models/resnet_9000")]
    [InlineData("/api/models/resnet_9000/onnx")]
    public async Task Unknown_model_is_404_problem_listing_the_served_ones(string path)
    {
        using var response = await Http.GetAsync(path);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("resnet_9000", problem.Detail());
        Assert.Contains(ScriptedDevice.Fomo, problem.Detail());
    }
}
