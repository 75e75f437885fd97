using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sciot.Core.Imaging;
using Sciot.Core.Protocol;
using Sciot.Core.Protocol.Json;
using Sciot.Core.Tensors;
using Sciot.Server.Api;
using Sciot.Server.Offloading;
using Sciot.Server.Registration;
using Sciot.Server.Storage;
using Sciot.Server.Telemetry;
using Sciot.Core.Telemetry;

namespace Sciot.Server.Inference;

/// <summary>
/// Handles a device's result: decode (v1 reference layout or v2), check it against the client's model and cut,
/// run the tail, decode the prediction, update the client's statistics, store the record, then reply with the next decision.
/// </summary>
public sealed class InferenceService(
    ModelRuntime runtime,
    ClientRegistry registry,
    OffloadingDecider decider,
    SciotDatabase database,
    ServerTelemetry telemetry,
    IOptions<OffloadingOptions> options,
    ILogger<InferenceService> logger)
{
    /// <summary>The device id inside a v1 payload, for reference firmware that sends no client_id; null if not a readable v1 payload.</summary>
    public static string? TryReadV1DeviceId(byte[] body)
    {
        if (ResultPayloadV2.LooksLikeV2(body))
        {
            return null;
        }
        try
        {
            return ResultPayloadV1.Parse(body).DeviceId;
        }
        catch (PayloadFormatException)
        {
            return null;
        }
    }

    public InferenceResultResponse Process(ClientState client, byte[] body, double receivedAtUnixSeconds)
    {
        var model = runtime.Get(client.ModelName);
        var result = Decode(client, model, body);
        var k = result.Layer;
        using var activity = ServerTelemetry.Start("tail_inference", client.ClientId, model.Name, k);
        var bytes = result.Tensors.Sum(t => t.ByteCount);
        activity?.SetTag(SciotTags.TensorBytes, bytes);

        var sessionsBefore = model.Split.Sessions.CreatedCount;
        var start = Stopwatch.GetTimestamp();
        IReadOnlyList<NamedTensor> outputs;
        try
        {
            outputs = model.Split.RunTail(k, result.Tensors);
        }
        catch (ArgumentException e)
        {
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "Tensors do not fit the cut", e.Message, "tensors");
        }
        var edgeSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (k < model.Graph.LastLayer)
        {
            // A run that first had to create its tail session (first result at this cut, or after an eviction) timed
            // mostly ONNX Runtime session creation; fed into the profile, it would make the edge look many times slower.
            if (model.Split.Sessions.CreatedCount == sessionsBefore)
            {
                model.AddTailMeasurement(k, edgeSeconds);
            }
            telemetry.TailSeconds.Record(edgeSeconds, new KeyValuePair<string, object?>(SciotTags.Model, model.Name));
        }
        var prediction = Summarize(model, outputs);
        var deviceSeconds = result.LayerSeconds.Sum();

        List<(int, double, long)> changedStats;
        double transferSeconds;
        lock (client.Sync)
        {
            if (client.ModelName != model.Name)
            {
                throw new ApiProblemException(StatusCodes.Status409Conflict, "Model changed", $"client '{client.ClientId}' was re-assigned to {client.ModelName} while this result was processed");
            }
            changedStats = UpdateDeviceTimes(client, result.LayerSeconds);
            if (result.UploadSeconds is { } seconds && result.UploadBytes is { } uploaded)
            {
                client.Bandwidth.AddMeasurement(uploaded, seconds);
            }
            else
            {
                client.Bandwidth.EstimateFromTimestamps(result.Timestamp, receivedAtUnixSeconds, body.Length);
            }
            transferSeconds = client.Bandwidth.HasEstimate ? bytes / client.Bandwidth.BytesPerSecond : 0;
            client.InferenceCount++;
            client.LastSeen = DateTimeOffset.UtcNow;
        }
        var record = new InferenceRecord(DateTimeOffset.UtcNow, client.ClientId, model.Name, k, deviceSeconds, transferSeconds, edgeSeconds, bytes,
            JsonSerializer.Serialize(prediction, SciotJson.Options));
        database.RecordInference(record, client.ToStored(null), changedStats);
        telemetry.Inferences.Add(1, new KeyValuePair<string, object?>(SciotTags.Model, model.Name));

        var (next, _) = decider.Decide(client);
        return new InferenceResultResponse
        {
            Message = "Success",
            ClientId = client.ClientId,
            MessageId = result.MessageId,
            ModelName = model.Name,
            OffloadingLayerIndex = k,
            Prediction = prediction,
            EdgeSeconds = edgeSeconds,
            DeviceSeconds = deviceSeconds,
            NextOffloadingLayer = next,
        };
    }

    private sealed record DecodedResult(int Layer, IReadOnlyList<NamedTensor> Tensors, double[] LayerSeconds, uint MessageId, double Timestamp,
        double? UploadSeconds, long? UploadBytes);

    private static DecodedResult Decode(ClientState client, ServedModel model, byte[] body)
    {
        try
        {
            var result = ResultPayloadV2.LooksLikeV2(body) ? FromV2(client, model, ResultPayloadV2.Parse(body)) : FromV1(model, ResultPayloadV1.Parse(body));
            foreach (var tensor in result.Tensors)
            {
                if (!AllFinite(tensor.Data))
                {
                    throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "Tensor holds NaN or infinity",
                        $"tensor '{tensor.Name}' contains NaN or infinite values; a device run cannot produce them", "tensor");
                }
            }
            return result;
        }
        catch (PayloadFormatException e)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, "Malformed inference result", e.Message, e.Field);
        }
    }

    private static bool AllFinite(float[] values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>-1 in a payload means the device ran every layer, which is the cut after the last layer.</summary>
    private static int NormalizeLayer(ServedModel model, int layer, string field)
    {
        var k = layer == -1 ? model.Graph.LastLayer : layer;
        if (k < 0 || k > model.Graph.LastLayer)
        {
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "Layer out of range",
                $"offloading layer {layer} is outside -1..{model.Graph.LastLayer} for {model.Name}", field);
        }
        return k;
    }

    private static double[] CheckTimes(ServedModel model, int k, float[] times)
    {
        if (times.Length != k + 1)
        {
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "Layer times do not match the cut",
                $"a device that ran layers 0..{k} of {model.Name} must report {k + 1} layer times; got {times.Length}", "layer_times");
        }
        return times.Select(t => (double)t).ToArray();
    }

    private static DecodedResult FromV1(ServedModel model, ResultPayloadV1 payload)
    {
        var k = NormalizeLayer(model, payload.LayerIndex, "offloading_layer_index");
        var cut = model.Graph.Cut(k);
        if (cut.LiveTensors.Count != 1)
        {
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "Cut needs several tensors",
                $"after layer {k} of {model.Name} {cut.LiveTensors.Count} tensors are live ({string.Join(", ", cut.LiveNames)}: a residual block input is still needed); " +
                "the v1 payload carries one tensor. Send the v2 payload (docs/protocol.md), which carries every live tensor.", "tensor");
        }
        var live = cut.LiveTensors[0];
        var shape = live.Shape;
        if (payload.TensorNhwc.Length != NamedTensor.ElementCountOf(shape))
        {
            throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, "Tensor size does not match the cut",
                $"layer {k} of {model.Name} outputs {live.Bytes} bytes ({string.Join("x", shape)} NCHW); the payload carries {payload.TensorNhwc.Length * 4}", "tensor_bytes");
        }
        var nchw = TensorLayout.NhwcToNchw(payload.TensorNhwc, shape[1], shape[2], shape[3]);
        return new DecodedResult(k, [new NamedTensor(live.Name, shape, nchw)], CheckTimes(model, k, payload.LayerTimesSeconds), payload.MessageId,
            payload.Timestamp, null, null);
    }

    private static DecodedResult FromV2(ClientState client, ServedModel model, ResultPayloadV2 payload)
    {
        if (payload.ModelName != model.Name || !string.Equals(payload.ModelVersion, model.Manifest.Version, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiProblemException(StatusCodes.Status409Conflict, "Wrong model",
                $"client '{client.ClientId}' is assigned {model.Name} version {model.Manifest.Version}; the payload is for {payload.ModelName} version {payload.ModelVersion}", "model_name");
        }
        var k = NormalizeLayer(model, payload.OffloadingLayerIndex, "offloading_layer_index");
        return new DecodedResult(k, payload.Tensors, CheckTimes(model, k, payload.LayerTimesSeconds), payload.MessageId, payload.Timestamp,
            payload.UploadSeconds, payload.UploadBytes);
    }

    private PredictionSummary Summarize(ServedModel model, IReadOnlyList<NamedTensor> outputs)
    {
        var output = outputs[0];
        var manifest = model.Manifest;
        if (manifest.Output.Kind == "classification")
        {
            var top = ClassificationDecoder.Decode(output, manifest.Classes);
            return new PredictionSummary { Kind = "classification", Label = top.Label, Score = top.Score };
        }
        var detections = FomoDecoder.Decode(output, manifest.Input.Width, manifest.Input.Height, manifest.Classes, (float)options.Value.DetectionThreshold);
        return new PredictionSummary
        {
            Kind = "fomo",
            Detections = detections.Select(d => new DetectionDto(d.Label, d.ClassIndex, d.CenterX, d.CenterY, d.Confidence, d.CellCount)).ToList(),
        };
    }

    /// <summary>EMA per reported layer; unstable layers (variance detector) schedule a local-inference refresh for this client.</summary>
    private List<(int, double, long)> UpdateDeviceTimes(ClientState client, double[] layerSeconds)
    {
        var changed = new List<(int, double, long)>(layerSeconds.Length);
        for (var i = 0; i < layerSeconds.Length; i++)
        {
            client.DeviceSeconds[i].Update(layerSeconds[i]);
            client.DeviceSamples[i]++;
            changed.Add((i, client.DeviceSeconds[i].Value, client.DeviceSamples[i]));
        }
        if (client.LastDecision == -1 && layerSeconds.Length == client.DeviceSeconds.Length)
        {
            client.RefreshPending = false;
            client.RefreshReason = null;
        }
        var unstable = client.Variance.AddSamples(layerSeconds);
        if (unstable.Count > 0)
        {
            client.RefreshPending = true;
            client.RefreshReason = $"device time variance above threshold at layers {string.Join(",", unstable)}";
            client.ResetVariance(registry.OffloadingSnapshot);
            logger.LogInformation("Client {ClientId}: {Reason}; scheduling a local-inference refresh", client.ClientId, client.RefreshReason);
        }
        return changed;
    }
}
