using System.Net.Http.Json;
using Sciot.Core.Models.Building;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Client;

/// <summary>A device re-assigned to a model with another input size follows the switch (it used to post old-size frames forever).</summary>
public sealed class ModelSwitchTests : IAsyncLifetime
{
    private readonly string _models = SmallInputModel.WriteCatalogWithFomo(SciotServerFactory.NewTempFolder());
    private SciotServerFactory _server = null!;

    public async Task InitializeAsync()
    {
        _server = new SciotServerFactory(settings: new Dictionary<string, string?> { ["Sciot:Server:ModelsPath"] = _models });
        await _server.WaitForCalibrationAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_models, recursive: true);
    }

    [Fact]
    public async Task A_switch_to_a_smaller_input_costs_one_local_cycle_then_splits_on_48x48_frames()
    {
        using var device = TestDevices.Create("dev_switch", _server.CreateClient(), cacheFolder: Path.Combine(_models, "cache"));
        await device.StartAsync(CancellationToken.None);
        await device.RunCycleAsync(CancellationToken.None); // the first cycle runs every layer: device times unknown
        var split = await device.RunCycleAsync(CancellationToken.None);
        Assert.Equal((ShippedModels.Fomo, 96), (split.ModelName, split.Frame!.Image.Width));
        Assert.True(split.Split, split.Problem);

        using var reassign = await _server.CreateOperatorClient().PostAsJsonAsync("/api/operator/clients/dev_switch/model",
            new { model_name = SmallInputModel.Name });
        reassign.EnsureSuccessStatusCode();

        // The device still holds the decision the last fomo result brought; the server refuses its 96x96 frame (longer
        // than a 48x48 RGB565 frame, so not read: 413), this cycle runs locally, and the next one asks which model to run.
        var refused = await device.RunCycleAsync(CancellationToken.None);
        var switched = await device.RunCycleAsync(CancellationToken.None);

        Assert.False(refused.Split);
        Assert.Contains($"HTTP 413 the body has {96 * 96 * 2} bytes or more; at most {48 * 48 * 2} are accepted", refused.Problem);
        Assert.True(switched.Split, switched.Problem);
        Assert.Equal((SmallInputModel.Name, 48, 48), (switched.ModelName, switched.Frame!.Image.Width, switched.Frame.Image.Height));
        var client = await _server.CreateClient().ClientAsync("dev_switch");
        Assert.Equal(SmallInputModel.Name, client.GetProperty("model_name").GetString());
    }
}
