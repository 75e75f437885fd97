using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Sciot.Client.Connectivity;
using Sciot.Core.Models;
using Sciot.Core.Models.Building;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Client;

public sealed class ModelDownloadTests : IDisposable
{
    private readonly SciotServerFactory _server = new();
    private readonly string _empty = Directory.CreateTempSubdirectory("sciot-bundled-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("sciot-cache-").FullName;

    private async Task<string> VersionAsync(string name) =>
        (await _server.CreateClient().GetFromJsonAsync<JsonElement>($"/api/models/{name}")).GetProperty("manifest").GetProperty("version").GetString()!;

    [Fact]
    public async Task Missing_model_is_downloaded_checked_and_cached()
    {
        var store = new ModelStore(_empty, _cache, NullLogger.Instance);
        var http = _server.CreateClient();
        var version = await VersionAsync(ShippedModels.MobileNetLite);

        var package = await store.AcquireAsync(ShippedModels.MobileNetLite, version, new ServerApi(http, http), CancellationToken.None);

        Assert.Equal(version, package.Manifest.Version);
        Assert.Equal(38, package.Graph.Layers.Count);
        Assert.Equal(version, ShippedModels.Sha256Hex(File.ReadAllBytes(Path.Combine(_cache, ShippedModels.MobileNetLite, ModelPackage.OnnxFileName))));
        Assert.NotNull(new ModelStore(_empty, _cache, NullLogger.Instance).TryLoadLocal(ShippedModels.MobileNetLite, version));
    }

    [Fact]
    public async Task Corrupted_download_is_rejected_and_not_cached()
    {
        var store = new ModelStore(_empty, _cache, NullLogger.Instance);
        using var http = new HttpClient(new CorruptingHandler(_server.Server.CreateHandler())) { BaseAddress = _server.Server.BaseAddress };
        var version = await VersionAsync(ShippedModels.MobileNetLite);

        var e = await Assert.ThrowsAsync<ModelLoadException>(() => store.AcquireAsync(ShippedModels.MobileNetLite, version, new ServerApi(http, http), CancellationToken.None));

        Assert.Contains("does not match manifest version", e.Message);
        Assert.False(File.Exists(Path.Combine(_cache, ShippedModels.MobileNetLite, ModelPackage.OnnxFileName)));
    }

    [Fact]
    public async Task Device_without_the_assigned_model_downloads_it_and_runs_it()
    {
        using var device = TestDevices.Create("dev_fetch", _server.CreateClient(), cacheFolder: _cache, bundledFolder: _empty);
        var operatorClient = _server.CreateOperatorClient();
        await device.StartAsync(CancellationToken.None);
        (await operatorClient.PostAsJsonAsync("/api/operator/clients/dev_fetch/model", new { model_name = ShippedModels.MobileNetLite })).EnsureSuccessStatusCode();

        var report = await device.RunCycleAsync(CancellationToken.None);

        Assert.True(report.Split, report.Problem);
        Assert.Equal(ShippedModels.MobileNetLite, report.ModelName);
        Assert.Equal(ShippedModels.MobileNetLite, device.ModelName);
        Assert.True(File.Exists(Path.Combine(_cache, ShippedModels.MobileNetLite, ModelPackage.OnnxFileName)));
    }

    /// <summary>Flips one byte of every model file in transit, as a broken link or a tampering proxy would.</summary>
    private sealed class CorruptingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/onnx", StringComparison.Ordinal))
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                bytes[bytes.Length / 2] ^= 0x5A;
                var headers = response.Headers.ToList();
                response.Content = new ByteArrayContent(bytes);
                foreach (var (name, values) in headers)
                {
                    response.Headers.TryAddWithoutValidation(name, values);
                }
            }
            return response;
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_empty, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }
}
