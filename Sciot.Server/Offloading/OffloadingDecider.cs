using Microsoft.Extensions.Options;
using Sciot.Core.Offloading;
using Sciot.Server.Inference;
using Sciot.Server.Registration;
using Sciot.Server.Telemetry;
using Sciot.Core.Telemetry;

namespace Sciot.Server.Offloading;

/// <summary>
/// Per-client decision: a forced layer (operator/test) wins; a client without a full device-time profile, or with a
/// pending refresh, is asked to run every layer (-1); otherwise the pure <see cref="OffloadingPlanner"/> picks k from
/// the client's device times, the edge's times, the live bytes of each cut and the client's bandwidth.
/// </summary>
public sealed class OffloadingDecider(ModelRuntime runtime, IOptions<OffloadingOptions> options, ServerTelemetry telemetry)
{
    private readonly Random _random = new();

    public (int Layer, string Reason) Decide(ClientState client)
    {
        var model = runtime.Get(client.ModelName);
        int layer;
        string reason;
        lock (client.Sync)
        {
            if (client.ForcedLayer is { } forced)
            {
                (layer, reason) = (forced, "forced by operator");
            }
            else if (client.RefreshPending)
            {
                (layer, reason) = (-1, "local-inference refresh: " + client.RefreshReason);
            }
            else if (!client.HasFullDeviceProfile)
            {
                (layer, reason) = (-1, "device layer times not yet known: run every layer locally");
            }
            else if (_random.NextDouble() < options.Value.LocalInferenceProbability)
            {
                (layer, reason) = (-1, "periodic local-inference refresh");
            }
            else
            {
                var bandwidth = client.Bandwidth.HasEstimate ? client.Bandwidth.BytesPerSecond : options.Value.InitialBandwidthBytesPerSecond;
                var device = client.DeviceSeconds.Select(e => e.Value).ToArray();
                var plan = OffloadingPlanner.Plan(device, model.EdgeSeconds(), model.LiveBytesAfter, bandwidth);
                (layer, reason) = (plan.Layer, $"minimum estimated cost {plan.EstimatedSeconds * 1000:F1} ms at {bandwidth / 1000:F0} KB/s");
            }
            client.LastDecision = layer;
        }
        telemetry.Decisions.Add(1, new KeyValuePair<string, object?>(SciotTags.SplitLayer, layer),
            new KeyValuePair<string, object?>(SciotTags.Model, model.Name));
        return (layer, reason);
    }
}
