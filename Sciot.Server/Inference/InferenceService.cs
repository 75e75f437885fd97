using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sciot.Core.Imaging;
using Sciot.Core.Protocol;
using Sciot.Core.Protocol.Json;
using Sciot.Core.Tensors;
using Sciot.Core.Telemetry;
using Sciot.Server.Offloading;
using Sciot.Server.Rejections;
using Sciot.Server.Sessions;
using Sciot.Server.Storage;
using Sciot.Server.Telemetry;

namespace Sciot.Server.Inference;

/// <summary>
/// Handles a device's result: decode (v1 reference layout or v2) and check it against the client's model and cut,
/// run the tail, decode the prediction, apply it to the client's session (which decides the next cycle), store the
/// record (group commit), then reply. The tail runs on whichever server got the request; the session only keeps state.
/// </summary>
public sealed class InferenceService(
    ModelRuntime runtime,
    IClientSessions sessions,
    IInferenceLog records,
    ServerTelemetry telemetry,
    IOptions<OffloadingOptions> options,
    ILogger<InferenceService> logger)
{
    /// <summary>The device id inside a v1 payload, for reference firmware that sends no client_id; null if not a readable v1 payload.</summary>
    public static string? TryReadV1DeviceId(ReadOnlySpan<byte> body)
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

    /// <param name="body">The request body; it must stay unchanged until the returned task completes (the tail reads its tensors in place).</param>
    public async Task<InferenceResultResponse> ProcessAsync(ClientSessionSnapshot client, ReadOnlyMemory<byte> body, double receivedAtUnixSeconds)
    {
        var model = runtime.Get(client.ModelName);
        var result = Decode(client.ClientId, model, body);
        var key = ResultKey.Of(result.MessageId, body.Span);
        if (await sessions.ReplayAsync(client.ClientId, key) is { } stored)
        {
            // A device retried an upload that was stored (its reply was lost or late): answer it again, store nothing.
            logger.LogInformation("Client {ClientId}: message {MessageId} is a retry; answering with the stored reply", client.ClientId, result.MessageId);
            return stored;
        }
        var k = result.Layer;
        using var activity = ServerTelemetry.Start("tail_inference", client.ClientId, model.Name, k);
        long bytes = 0;
        foreach (var tensor in result.Tensors)
        {
            bytes += tensor.ByteCount;
        }
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
            throw new RequestRejectedException(RejectionKind.Unprocessable, "Tensors do not fit the cut", e.Message, "tensors");
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
        var prediction = PredictionDecoder.Decode(model.Manifest, outputs[0], (float)options.Value.DetectionThreshold);
        var deviceSeconds = result.LayerSeconds.Sum();

        var now = DateTimeOffset.UtcNow;
        var applied = await sessions.ApplyResultAsync(client.ClientId, new ResultObservation(key, model.Name, k, result.LayerSeconds, bytes,
            result.UploadBytes, result.UploadSeconds, result.MeasuresUpload, result.Timestamp, receivedAtUnixSeconds, body.Length, now, result.Quality));
        if (applied.RefreshTriggered is { } refresh)
        {
            logger.LogInformation("Client {ClientId}: {Reason}; scheduling a local-inference refresh", client.ClientId, refresh);
        }
        telemetry.Decisions.Add(1, new KeyValuePair<string, object?>(SciotTags.SplitLayer, applied.Next.Layer),
            new KeyValuePair<string, object?>(SciotTags.Model, model.Name));

        var record = new InferenceRecord(now, client.ClientId, model.Name, k, deviceSeconds, applied.TransferSeconds, edgeSeconds, bytes,
            JsonSerializer.Serialize(prediction, SciotJson.Options), result.MessageId);
        try
        {
            await records.RecordAsync(record, new ClientProgress(client.ClientId, model.Name, applied.LastSeen, applied.InferenceCount,
                applied.Statistics.ToJson()));
        }
        catch
        {
            await sessions.ForgetAsync(client.ClientId, key);
            throw;
        }
        telemetry.Inferences.Add(1, new KeyValuePair<string, object?>(SciotTags.Model, model.Name));

        var reply = new InferenceResultResponse
        {
            Message = "Success",
            ClientId = client.ClientId,
            MessageId = result.MessageId,
            ModelName = model.Name,
            OffloadingLayerIndex = k,
            Prediction = prediction,
            EdgeSeconds = edgeSeconds,
            DeviceSeconds = deviceSeconds,
            NextOffloadingLayer = applied.Next.Layer,
        };
        await sessions.AcknowledgeAsync(client.ClientId, key, reply);
        return reply;
    }

    private sealed record DecodedResult(int Layer, IReadOnlyList<TensorBytes> Tensors, double[] LayerSeconds, uint MessageId, double Timestamp,
        double? UploadSeconds, long? UploadBytes, bool MeasuresUpload, DetectionMatchResult? Quality = null);

    private static DecodedResult Decode(string clientId, ServedModel model, ReadOnlyMemory<byte> body)
    {
        try
        {
            var result = ResultPayloadV2.LooksLikeV2(body.Span) ? FromV2(clientId, model, ResultPayloadV2.ParseInPlace(body)) : FromV1(model, ResultPayloadV1.Parse(body.Span));
            foreach (var tensor in result.Tensors)
            {
                if (!tensor.AllFinite())
                {
                    throw new RequestRejectedException(RejectionKind.Unprocessable, "Tensor holds NaN or infinity",
                        $"tensor '{tensor.Name}' contains NaN or infinite values; a device run cannot produce them", "tensor");
                }
            }
            return result;
        }
        catch (PayloadFormatException e)
        {
            throw new RequestRejectedException(RejectionKind.Malformed, "Malformed inference result", e.Message, e.Field);
        }
    }

    /// <summary>-1 in a payload means the device ran every layer, which is the cut after the last layer.</summary>
    private static int NormalizeLayer(ServedModel model, int layer, string field)
    {
        var k = model.Graph.LastLayerRun(layer);
        if (k < 0 || k > model.Graph.LastLayer)
        {
            throw new RequestRejectedException(RejectionKind.Unprocessable, "Layer out of range",
                $"offloading layer {layer} is outside -1..{model.Graph.LastLayer} for {model.Name}", field);
        }
        return k;
    }

    private static double[] CheckTimes(ServedModel model, int k, float[] times)
    {
        if (times.Length != k + 1)
        {
            throw new RequestRejectedException(RejectionKind.Unprocessable, "Layer times do not match the cut",
                $"a device that ran layers 0..{k} of {model.Name} must report {k + 1} layer times; got {times.Length}", "layer_times");
        }
        if (times.Any(t => !float.IsFinite(t) || t < 0))
        {
            throw new RequestRejectedException(RejectionKind.Unprocessable, "Layer time out of range",
                "every layer time must be a finite, non-negative number of seconds", "layer_times");
        }
        return times.Select(t => (double)t).ToArray();
    }

    private static DecodedResult FromV1(ServedModel model, ResultPayloadV1 payload)
    {
        var k = NormalizeLayer(model, payload.LayerIndex, "offloading_layer_index");
        var cut = model.Graph.Cut(k);
        if (cut.LiveTensors.Count != 1)
        {
            throw new RequestRejectedException(RejectionKind.Unprocessable, "Cut needs several tensors",
                $"after layer {k} of {model.Name} {cut.LiveTensors.Count} tensors are live ({string.Join(", ", cut.LiveNames)}: a residual block input is still needed); " +
                "the v1 payload carries one tensor. Send the v2 payload (docs/protocol.md), which carries every live tensor.", "tensor");
        }
        var live = cut.LiveTensors[0];
        var shape = live.Shape;
        if (shape.Length != 4)
        {
            // v1 carries NHWC, which only a 4-D (image-like) tensor has; a classification output is [1, N].
            throw new RequestRejectedException(RejectionKind.Unprocessable, "Cut tensor is not NHWC",
                $"after layer {k} of {model.Name} the live tensor '{live.Name}' has shape {string.Join("x", shape)}; the v1 payload carries NHWC image tensors only. " +
                "Send the v2 payload (docs/protocol.md).", "tensor");
        }
        if (payload.TensorNhwc.Length != NamedTensor.ElementCountOf(shape))
        {
            throw new RequestRejectedException(RejectionKind.Unprocessable, "Tensor size does not match the cut",
                $"layer {k} of {model.Name} outputs {live.Bytes} bytes ({string.Join("x", shape)} NCHW); the payload carries {payload.TensorNhwc.Length * 4}", "tensor_bytes");
        }
        // v1 carries NHWC: the reorder into NCHW is the one copy this path needs, and the tail reads it as bytes.
        var nchw = TensorLayout.NhwcToNchw(payload.TensorNhwc, shape[1], shape[2], shape[3]);
        return new DecodedResult(k, [new TensorBytes(live.Name, shape, MemoryMarshal.AsBytes(nchw.AsSpan()).ToArray())], CheckTimes(model, k, payload.LayerTimesSeconds), payload.MessageId,
            payload.Timestamp, null, null, MeasuresUpload: false);
    }

    private static DecodedResult FromV2(string clientId, ServedModel model, (ResultPayloadV2 Fields, TensorBytes[] InPlace) parsed)
    {
        var payload = parsed.Fields;
        if (payload.ModelName != model.Name || !string.Equals(payload.ModelVersion, model.Manifest.Version, StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestRejectedException(RejectionKind.Conflict, "Wrong model",
                $"client '{clientId}' is assigned {model.Name} version {model.Manifest.Version}; the payload is for {payload.ModelName} version {payload.ModelVersion}", "model_name");
        }
        var k = NormalizeLayer(model, payload.OffloadingLayerIndex, "offloading_layer_index");
        return new DecodedResult(k, parsed.InPlace, CheckTimes(model, k, payload.LayerTimesSeconds), payload.MessageId, payload.Timestamp,
            payload.UploadSeconds, payload.UploadBytes, MeasuresUpload: true, payload.Quality);
    }

}
