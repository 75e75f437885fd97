using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

/// <summary>
/// The edge's per-layer times, which every decision uses, follow the tail runs the server measures. A server of its
/// own with EMA weight 1, so each measurement replaces the profile and its effect is seen undamped.
/// </summary>
public sealed class EdgeProfileTests : IAsyncLifetime
{
    private readonly SciotServerFactory _factory = new(settings: new Dictionary<string, string?> { ["Sciot:Offloading:EmaAlpha"] = "1" });
    private readonly ScriptedDevice _device = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = _factory.CreateClient();
        await _factory.WaitForCalibrationAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        _device.Dispose();
    }

    [Fact]
    public async Task Creating_a_tail_session_is_not_counted_as_edge_compute()
    {
        // The first result at a cut creates its tail session, which takes several milliseconds: far longer than running
        // the last two layers. That one-off cost must not leak into the profile; later results at the cut are measured.
        const int k = 56;
        await _http.RegisterAsync("edge_1");
        var calibrated = await ProfileAsync();
        Assert.All(calibrated, s => Assert.True(s > 0));

        await _http.PostResultOkAsync("edge_1", _device.V2(ScriptedDevice.Fomo, k, _device.Frame(ScriptedDevice.Fomo, 1)));
        var afterFirst = await ProfileAsync();
        var warm = await _http.PostResultOkAsync("edge_1", _device.V2(ScriptedDevice.Fomo, k, _device.Frame(ScriptedDevice.Fomo, 2)));
        var warmSeconds = warm.GetProperty("edge_seconds").GetDouble();
        var afterSecond = await ProfileAsync();

        var explainable = 2 * Math.Max(Tail(calibrated), warmSeconds);
        Assert.True(Tail(afterFirst) <= explainable,
            $"after the first tail run layers {k + 1}.. cost {Tail(afterFirst) * 1000:F3} ms; calibration said {Tail(calibrated) * 1000:F3} ms, a warm run took {warmSeconds * 1000:F3} ms");
        // EMA weight 1: the warm run's time replaces the tail's total, keeping the layers' proportions.
        Assert.Equal(warmSeconds, Tail(afterSecond), warmSeconds * 1e-6);
        Assert.Equal(afterSecond[k + 1] / afterSecond[k + 2], afterFirst[k + 1] / afterFirst[k + 2], 1e-6);
        // The edge ran no layer up to k, so their times are untouched.
        Assert.Equal(calibrated.Take(k + 1), afterSecond.Take(k + 1));

        static double Tail(double[] profile) => profile.Skip(k + 1).Sum();
    }

    private async Task<double[]> ProfileAsync()
    {
        using var response = await _http.GetAsync("/api/models/fomo_96x96");
        return (await ServerHttp.OkJsonAsync(response)).GetProperty("edge_seconds_per_layer").EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }
}
