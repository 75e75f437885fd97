using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Sciot.Core.Tensors;
using Sciot.Server.Offloading;

namespace Sciot.Server.Inference;

/// <summary>
/// Measures the edge's own per-layer times at start (each layer run several times, one session per layer) so the
/// first decisions use this machine's numbers; the health check reports ready once every model is calibrated.
/// </summary>
public sealed class EdgeCalibrationService(ModelRuntime runtime, IOptions<OffloadingOptions> options, ILogger<EdgeCalibrationService> logger)
    : BackgroundService, IHealthCheck
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        foreach (var model in runtime.Models)
        {
            var input = model.Graph.InputNames[0];
            var shape = model.Graph.ShapeOf(input);
            var tensor = new NamedTensor(input, shape, new float[NamedTensor.ElementCountOf(shape)]);
            model.Layerwise.Warm();
            for (var run = 0; run < options.Value.CalibrationRuns && !stoppingToken.IsCancellationRequested; run++)
            {
                model.AddCalibration(model.Layerwise.Run(model.Graph.LastLayer, tensor).LayerSeconds);
            }
            logger.LogInformation("Edge calibration of {Model}: {Seconds:F4} s for {Layers} layers", model.Name, model.EdgeTotalSeconds, model.LayerCount);
        }
    }, stoppingToken);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = runtime.Models.Where(m => !m.IsCalibrated).Select(m => m.Name).ToList();
        return Task.FromResult(pending.Count == 0
            ? HealthCheckResult.Healthy($"{runtime.Models.Count} models calibrated")
            : HealthCheckResult.Unhealthy($"calibrating {string.Join(", ", pending)}"));
    }
}
