using Microsoft.Extensions.Options;
using Sciot.Core.Charts;
using Sciot.Core.Imaging;
using Sciot.Core.Offloading;
using Sciot.Server.Inference;
using Sciot.Server.Offloading;
using Sciot.Server.Sessions;

namespace Sciot.Server.Fleet;

/// <summary>
/// The fleet page's pictures of one client, drawn by the same chart code as the scenario runner (Sciot.Core.Charts).
/// Each returns null while the client has not produced what the picture needs (no frame, no device profile yet).
/// </summary>
public sealed class FleetCharts(ModelRuntime runtime, IClientSessions sessions, IOptions<OffloadingOptions> options)
{
    public const int Width = 640;
    public const int Height = 400;
    public const int FrameSize = 400;

    /// <summary>
    /// The client's latest uploaded frame with the detections of its model run whole on it at the edge: the split
    /// does not change them (split equivalence), so they are what the client's last cycle on this frame found.
    /// </summary>
    public async Task<byte[]?> FrameAsync(ClientSessionSnapshot client)
    {
        var model = runtime.Get(client.ModelName);
        var input = model.Manifest.Input;
        // A frame of another size was taken for the model the client had before a switch that raced this snapshot.
        if (await sessions.LatestFrameAsync(client.ClientId) is not { } rgb565 || rgb565.Length != Rgb565.ByteCount(input.Width, input.Height))
        {
            return null;
        }
        var image = Rgb565.Decode(rgb565, input.Width, input.Height);
        var output = model.Split.RunFull([InputTensorizer.ToTensor(image, input.Name, input.Scale, input.Offset)])[0];
        var detections = model.Manifest.Output.Kind == "fomo"
            ? FomoDecoder.Decode(output, input.Width, input.Height, model.Manifest.Classes, (float)options.Value.DetectionThreshold)
            : [];
        return DetectionFrameChart.Render($"{client.ClientId}: latest frame, {detections.Count} detection(s)", image, detections, null, FrameSize, FrameSize);
    }

    /// <summary>
    /// The predicted cost of every cut with the chosen one marked: the planner's own curve when it made the current
    /// decision, else (forced layer, refresh) the curve it would plan from the client's profile now.
    /// </summary>
    public byte[]? CostCurve(ClientSessionSnapshot client)
    {
        var curve = client.CurrentDecision?.EstimatedSeconds;
        var chosen = client.CurrentSplit;
        if (curve is null)
        {
            if (!client.HasFullDeviceProfile)
            {
                return null;
            }
            var model = runtime.Get(client.ModelName);
            var plan = OffloadingPlanner.Plan(client.Statistics.DeviceSeconds.Select(s => s!.Value).ToArray(), model.EdgeSeconds(), model.LiveBytesAfter,
                client.Statistics.BandwidthBytesPerSecond ?? options.Value.InitialBandwidthBytesPerSecond);
            (curve, chosen) = (plan.CostPerLayer, chosen is >= 0 ? chosen : plan.Layer);
        }
        chosen = Math.Clamp(chosen, 0, curve.Count - 1);
        return CostCurveChart.Render($"{client.ClientId} ({client.ModelName}): predicted cost per cut", curve, chosen, Width, Height);
    }

    /// <summary>Device time (the client's EMAs; 0 where not measured yet) and edge time per layer, with the bytes at each cut.</summary>
    public byte[] Layers(ClientSessionSnapshot client)
    {
        var model = runtime.Get(client.ModelName);
        var edge = model.EdgeSeconds();
        var layers = model.Graph.Layers.Select((layer, i) =>
            new LayerCost(layer.Name, client.Statistics.DeviceSeconds[i] ?? 0, edge[i], model.LiveBytesAfter[i])).ToList();
        return LayerTimesChart.Render($"{client.ModelName} ({client.ClientId})", layers, Width, Height);
    }
}
