using Sciot.Server.Inference;

namespace Sciot.Server.Api;

/// <summary>The catalog as clients see it: list, manifest with live tensors per cut, and the ONNX file with its hash.</summary>
public static class ModelsApi
{
    public const string Sha256Header = "X-Model-Sha256";

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", (ModelRuntime runtime) => Results.Ok(runtime.Models.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new
        {
            name = m.Name,
            description = m.Manifest.Description,
            version = m.Manifest.Version,
            layer_count = m.LayerCount,
            last_offloading_layer = m.Graph.LastLayer,
            classes = m.Manifest.Classes,
            weights = m.Manifest.Weights,
            accuracy = m.Manifest.Accuracy,
            edge_seconds = m.EdgeTotalSeconds,
            url = $"/api/models/{m.Name}/onnx",
        })));

        app.MapGet("/api/models/{name}", (string name, ModelRuntime runtime) =>
        {
            var model = Find(runtime, name);
            var edge = model.EdgeSeconds();
            return Results.Ok(new
            {
                manifest = model.Manifest,
                // Per decision: what the device runs and what it then sends (for -1 the model's outputs, not its inputs).
                cuts = Enumerable.Range(-1, model.LayerCount + 1).Select(k => (Decision: k, Sent: model.Graph.Sent(k))).Select(d => new
                {
                    layer = d.Decision,
                    device_layers = d.Decision == -1 ? model.LayerCount : d.Decision + 1,
                    live_bytes = d.Sent.LiveBytes,
                    live_tensors = d.Sent.LiveTensors.Select(t => new { name = t.Name, shape = t.Shape, bytes = t.Bytes, producer_layer = t.ProducerLayer }),
                }),
                edge_seconds_per_layer = edge,
            });
        });

        app.MapGet("/api/models/{name}/onnx", (string name, HttpContext context, ModelRuntime runtime) =>
        {
            var model = Find(runtime, name);
            context.Response.Headers[Sha256Header] = model.Manifest.Version;
            return Results.Bytes(model.Package.OnnxBytes, "application/octet-stream", $"{model.Name}.onnx",
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{model.Manifest.Version}\""));
        });
        return app;
    }

    private static ServedModel Find(ModelRuntime runtime, string name) =>
        runtime.TryGet(name, out var model)
            ? model
            : throw new ApiProblemException(StatusCodes.Status404NotFound, "Unknown model",
                $"model '{name}' is not served; available: {string.Join(", ", runtime.Catalog.Names)}");
}
