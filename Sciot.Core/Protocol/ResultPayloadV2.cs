using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Sciot.Core.Imaging;
using Sciot.Core.Tensors;

namespace Sciot.Core.Protocol;

/// <summary>
/// Device result message able to carry every tensor that is live at a cut (skip connections make DAG cuts
/// cross the network with two or more tensors). Layout: ASCII <c>SCT2</c>, u32 LE header length, UTF-8 JSON
/// header, then the raw little-endian tensor bytes the header's <c>tensors</c> entries point into.
/// Tensors are NCHW with the shapes of the ONNX graph, unlike v1's NHWC.
/// </summary>
public sealed record ResultPayloadV2
{
    /// <summary>Caps the JSON header so a hostile length field cannot make the server buffer megabytes of JSON.</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    public const string Float32 = "float32";

    /// <summary>More matches than any frame can hold (a 96x96 FOMO grid has 144 cells); a larger count is refused, not summed.</summary>
    public const int MaxQualityCount = 10_000;

    /// <summary>The data section of an encoded payload starts at a multiple of this many bytes.</summary>
    public const int DataAlignment = 8;

    public static ReadOnlySpan<byte> Magic => "SCT2"u8;

    public required string ModelName { get; init; }

    /// <summary>sha256 (hex) of the model the device ran, so the server never finishes a cut with a different model.</summary>
    public required string ModelVersion { get; init; }

    public required uint MessageId { get; init; }

    /// <summary>Last layer the device ran; -1 means the whole model ran on the device, as in v1 and the reference.</summary>
    public required int OffloadingLayerIndex { get; init; }

    /// <summary>Client clock at send time, seconds since the Unix epoch.</summary>
    public required double Timestamp { get; init; }

    /// <summary>Device time of each layer it ran, in seconds.</summary>
    public required float[] LayerTimesSeconds { get; init; }

    /// <summary>
    /// How long the client's previous upload took by its own clock; null on a first message. The client
    /// measures it because the server cannot: with unsynchronised clocks a send/receive timestamp pair is unreliable.
    /// </summary>
    public double? UploadSeconds { get; init; }

    /// <summary>Size of that previous upload; present exactly when <see cref="UploadSeconds"/> is.</summary>
    public long? UploadBytes { get; init; }

    /// <summary>
    /// Optional: how the prediction the server returned for the device's previous result scored against the frame's
    /// ground truth (known for synthetic frames), matched on the device as <c>evaluate</c> matches. Null when the
    /// device knows no ground truth or has no previous result.
    /// </summary>
    public DetectionMatchResult? Quality { get; init; }

    public required IReadOnlyList<NamedTensor> Tensors { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        // Two values for one field would let a proxy and the server read different messages.
        AllowDuplicateProperties = false,
    };

    public static bool LooksLikeV2(ReadOnlySpan<byte> payload) => payload.StartsWith(Magic);

    public static ResultPayloadV2 Parse(ReadOnlySpan<byte> payload)
    {
        var result = ParseFields(payload, out var regions);
        var tensors = new NamedTensor[regions.Length];
        for (var i = 0; i < regions.Length; i++)
        {
            var r = regions[i];
            tensors[i] = new NamedTensor(r.Name, r.Shape, LittleEndianFloats.Read(payload.Slice(r.Offset, r.Length)));
        }
        return result with { Tensors = tensors };
    }

    /// <summary>
    /// Parses and checks everything <see cref="Parse"/> does, but leaves the tensors in <paramref name="payload"/>:
    /// the returned fields carry no <see cref="Tensors"/>; <c>InPlace</c> holds views into the payload, which must
    /// stay alive and unchanged while they are used. The server runs the tail on them without decoding a copy.
    /// </summary>
    public static (ResultPayloadV2 Fields, TensorBytes[] InPlace) ParseInPlace(ReadOnlyMemory<byte> payload)
    {
        var result = ParseFields(payload.Span, out var regions);
        var tensors = new TensorBytes[regions.Length];
        for (var i = 0; i < regions.Length; i++)
        {
            var r = regions[i];
            tensors[i] = new TensorBytes(r.Name, r.Shape, payload.Slice(r.Offset, r.Length));
        }
        return (result, tensors);
    }

    /// <summary>Where a checked tensor lies in the payload (offset from its first byte).</summary>
    private readonly record struct TensorRegion(string Name, int[] Shape, int Offset, int Length);

    private static ResultPayloadV2 ParseFields(ReadOnlySpan<byte> payload, out TensorRegion[] tensors)
    {
        var reader = new PayloadReader(payload);
        var magic = reader.ReadFixed(Magic.Length, "magic");
        if (!magic.SequenceEqual(Magic))
        {
            throw new PayloadFormatException("magic", $"expected ASCII 'SCT2' but found 0x{Convert.ToHexString(magic)}");
        }

        var headerLength = reader.ReadUInt32("header_length");
        if (headerLength is 0 or > MaxHeaderBytes)
        {
            throw new PayloadFormatException("header_length", $"{headerLength} is outside 1..{MaxHeaderBytes}");
        }
        var header = DeserializeHeader(reader.ReadBytes(headerLength, "header"));
        var dataStart = payload.Length - reader.Remaining;
        var data = reader.ReadBytes(reader.Remaining, "data");

        var result = new ResultPayloadV2
        {
            ModelName = Required(header.ModelName, "model_name"),
            ModelVersion = Required(header.ModelVersion, "model_version"),
            MessageId = Required(header.MessageId, "message_id"),
            OffloadingLayerIndex = Required(header.OffloadingLayerIndex, "offloading_layer_index"),
            Timestamp = Required(header.Timestamp, "timestamp"),
            LayerTimesSeconds = Required(header.LayerTimesSeconds, "layer_times_s"),
            UploadSeconds = header.UploadSeconds,
            UploadBytes = header.UploadBytes,
            Quality = header.Quality is { } quality
                ? new DetectionMatchResult(Required(quality.TruePositives, "quality.true_positives"),
                    Required(quality.FalsePositives, "quality.false_positives"), Required(quality.FalseNegatives, "quality.false_negatives"))
                : null,
            Tensors = [],
        };
        tensors = ReadTensors(Required(header.Tensors, "tensors"), data.Length, dataStart);
        result.ValidateScalars();
        return result;
    }

    /// <exception cref="PayloadFormatException">A property holds a value <see cref="Parse"/> would reject.</exception>
    public byte[] Encode()
    {
        ValidateScalars();
        if (Tensors.Count == 0)
        {
            throw new PayloadFormatException("tensors", "must list at least one tensor");
        }

        var entries = new TensorEntry[Tensors.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        for (var i = 0; i < Tensors.Count; i++)
        {
            var tensor = Tensors[i];
            var field = $"tensors[{i}]";
            CheckName(tensor.Name, field, names);
            var elements = CheckedElementCount(tensor.Shape, field);
            if (elements != tensor.Data.Length)
            {
                throw new PayloadFormatException(
                    $"{field}.shape", $"[{string.Join(',', tensor.Shape)}] needs {elements} values but the tensor holds {tensor.Data.Length}");
            }
            entries[i] = new TensorEntry
            {
                Name = tensor.Name,
                Dtype = Float32,
                Shape = tensor.Shape,
                Offset = offset,
                Length = tensor.ByteCount,
            };
            offset += tensor.ByteCount;
        }

        var header = JsonSerializer.SerializeToUtf8Bytes(
            new Header
            {
                ModelName = ModelName,
                ModelVersion = ModelVersion,
                MessageId = MessageId,
                OffloadingLayerIndex = OffloadingLayerIndex,
                Timestamp = Timestamp,
                LayerTimesSeconds = LayerTimesSeconds,
                UploadSeconds = UploadSeconds,
                UploadBytes = UploadBytes,
                Quality = Quality is { } quality
                    ? new QualityEntry { TruePositives = quality.TruePositives, FalsePositives = quality.FalsePositives, FalseNegatives = quality.FalseNegatives }
                    : null,
                Tensors = entries,
            },
            JsonOptions);
        // JSON allows trailing whitespace: padding the header puts the data section on an 8-byte boundary of the
        // payload, so a receiver can hand the floats to ONNX Runtime where they lie instead of copying them first.
        var padding = (DataAlignment - (Magic.Length + sizeof(uint) + header.Length) % DataAlignment) % DataAlignment;
        if (padding > 0)
        {
            header = [.. header, .. Enumerable.Repeat((byte)' ', padding)];
        }
        if (header.Length > MaxHeaderBytes)
        {
            throw new PayloadFormatException("header_length", $"header is {header.Length} bytes, more than {MaxHeaderBytes}");
        }

        var buffer = new byte[checked(Magic.Length + sizeof(uint) + header.Length + offset)];
        var span = buffer.AsSpan();
        Magic.CopyTo(span);
        span = span[Magic.Length..];
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)header.Length);
        span = span[sizeof(uint)..];
        header.CopyTo(span);
        span = span[header.Length..];
        for (var i = 0; i < Tensors.Count; i++)
        {
            LittleEndianFloats.Write(Tensors[i].Data, span.Slice((int)entries[i].Offset!.Value));
        }
        return buffer;
    }

    private void ValidateScalars()
    {
        if (string.IsNullOrWhiteSpace(ModelName))
        {
            throw new PayloadFormatException("model_name", "is empty");
        }
        if (ModelVersion.Length != 64 || !ModelVersion.All(char.IsAsciiHexDigit))
        {
            throw new PayloadFormatException("model_version", $"'{ModelVersion}' is not a 64-digit sha256 hex string");
        }
        if (OffloadingLayerIndex < -1)
        {
            throw new PayloadFormatException("offloading_layer_index", $"must be >= -1, got {OffloadingLayerIndex}");
        }
        if (!double.IsFinite(Timestamp))
        {
            throw new PayloadFormatException("timestamp", $"must be a finite number of seconds, got {Timestamp}");
        }
        for (var i = 0; i < LayerTimesSeconds.Length; i++)
        {
            if (!float.IsFinite(LayerTimesSeconds[i]) || LayerTimesSeconds[i] < 0)
            {
                throw new PayloadFormatException(
                    $"layer_times_s[{i}]", $"{LayerTimesSeconds[i]} is not a finite non-negative number of seconds");
            }
        }
        if (UploadSeconds.HasValue != UploadBytes.HasValue)
        {
            var missing = UploadSeconds.HasValue ? "upload_bytes" : "upload_seconds";
            throw new PayloadFormatException(missing, "must be given together with the other upload_* field");
        }
        if (UploadSeconds is { } seconds && (!double.IsFinite(seconds) || seconds < 0))
        {
            throw new PayloadFormatException("upload_seconds", $"{seconds} is not a finite non-negative number of seconds");
        }
        if (UploadBytes < 0)
        {
            throw new PayloadFormatException("upload_bytes", $"must be >= 0, got {UploadBytes}");
        }
        if (Quality is { } q)
        {
            foreach (var (count, field) in new[] { (q.TruePositives, "true_positives"), (q.FalsePositives, "false_positives"), (q.FalseNegatives, "false_negatives") })
            {
                if (count is < 0 or > MaxQualityCount)
                {
                    throw new PayloadFormatException($"quality.{field}", $"must be a count in 0..{MaxQualityCount}, got {count}");
                }
            }
        }
    }

    private static Header DeserializeHeader(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            throw new PayloadFormatException("header", "is not valid UTF-8");
        }
        try
        {
            return JsonSerializer.Deserialize<Header>(json, JsonOptions)
                ?? throw new PayloadFormatException("header", "is JSON null, expected an object");
        }
        catch (JsonException e)
        {
            // The JSON path ("$.tensors[0].shape") already is the field name once the root marker is dropped.
            var field = e.Path is null or "$" ? "header" : e.Path.TrimStart('$', '.');
            throw new PayloadFormatException(field, $"invalid header JSON: {e.Message}", e);
        }
    }

    private static TensorRegion[] ReadTensors(TensorEntry?[] entries, int dataLength, int dataStart)
    {
        if (entries.Length == 0)
        {
            throw new PayloadFormatException("tensors", "must list at least one tensor");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var ranges = new (long Offset, long End, int Index)[entries.Length];
        long declared = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var field = $"tensors[{i}]";
            var entry = entries[i] ?? throw new PayloadFormatException(field, "is null");
            var name = Required(entry.Name, $"{field}.name");
            CheckName(name, field, names);

            var dtype = Required(entry.Dtype, $"{field}.dtype");
            if (dtype != Float32)
            {
                throw new PayloadFormatException($"{field}.dtype", $"'{dtype}' is not supported; only '{Float32}' is accepted");
            }

            var shape = Required(entry.Shape, $"{field}.shape");
            var elements = CheckedElementCount(shape, field);
            var offset = Required(entry.Offset, $"{field}.offset");
            var length = Required(entry.Length, $"{field}.length");
            if (length != elements * sizeof(float))
            {
                throw new PayloadFormatException(
                    $"{field}.length", $"is {length} bytes but shape [{string.Join(',', shape)}] of float32 needs {elements * sizeof(float)}");
            }
            if (offset < 0 || offset > dataLength - length)
            {
                throw new PayloadFormatException(
                    $"{field}.offset", $"range [{offset}, {offset + length}) lies outside the {dataLength}-byte data section");
            }
            ranges[i] = (offset, offset + length, i);
            declared += length;
        }

        Array.Sort(ranges);
        for (var i = 1; i < ranges.Length; i++)
        {
            if (ranges[i].Offset < ranges[i - 1].End)
            {
                throw new PayloadFormatException(
                    $"tensors[{ranges[i].Index}].offset", $"overlaps tensors[{ranges[i - 1].Index}]");
            }
        }
        if (declared != dataLength)
        {
            throw new PayloadFormatException(
                "tensors", $"declare {declared} bytes in total but the data section holds {dataLength}");
        }

        var tensors = new TensorRegion[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i]!;
            tensors[i] = new TensorRegion(entry.Name!, entry.Shape!, dataStart + (int)entry.Offset!.Value, (int)entry.Length!.Value);
        }
        return tensors;
    }

    private static void CheckName(string name, string field, HashSet<string> seen)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new PayloadFormatException($"{field}.name", "is empty");
        }
        if (!seen.Add(name))
        {
            throw new PayloadFormatException($"{field}.name", $"'{name}' is used by more than one tensor");
        }
    }

    /// <summary>Element count of a shape, refusing anything an array cannot hold instead of overflowing.</summary>
    private static int CheckedElementCount(int[] shape, string field)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 1)
            {
                throw new PayloadFormatException($"{field}.shape", $"dimension {dimension} is not positive");
            }
            count *= dimension;
            if (count > Array.MaxLength / sizeof(float))
            {
                throw new PayloadFormatException($"{field}.shape", $"[{string.Join(',', shape)}] is too large");
            }
        }
        return (int)count;
    }

    private static T Required<T>(T? value, string field) where T : class =>
        value ?? throw new PayloadFormatException(field, "is missing");

    private static T Required<T>(T? value, string field) where T : struct =>
        value ?? throw new PayloadFormatException(field, "is missing");

    /// <summary>Wire shape of the JSON header; everything is nullable so a missing field is reported by name.</summary>
    private sealed class Header
    {
        [JsonPropertyName("model_name")]
        public string? ModelName { get; init; }

        [JsonPropertyName("model_version")]
        public string? ModelVersion { get; init; }

        [JsonPropertyName("message_id")]
        public uint? MessageId { get; init; }

        [JsonPropertyName("offloading_layer_index")]
        public int? OffloadingLayerIndex { get; init; }

        [JsonPropertyName("timestamp")]
        public double? Timestamp { get; init; }

        [JsonPropertyName("layer_times_s")]
        public float[]? LayerTimesSeconds { get; init; }

        [JsonPropertyName("upload_seconds")]
        public double? UploadSeconds { get; init; }

        [JsonPropertyName("upload_bytes")]
        public long? UploadBytes { get; init; }

        // Left out when absent, so a payload without it is byte for byte what it was before the field existed.
        [JsonPropertyName("quality")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public QualityEntry? Quality { get; init; }

        [JsonPropertyName("tensors")]
        public TensorEntry?[]? Tensors { get; init; }
    }

    private sealed class QualityEntry
    {
        [JsonPropertyName("true_positives")]
        public int? TruePositives { get; init; }

        [JsonPropertyName("false_positives")]
        public int? FalsePositives { get; init; }

        [JsonPropertyName("false_negatives")]
        public int? FalseNegatives { get; init; }
    }

    private sealed class TensorEntry
    {
        [JsonPropertyName("name")]
        public string? Name { get; init; }

        [JsonPropertyName("dtype")]
        public string? Dtype { get; init; }

        [JsonPropertyName("shape")]
        public int[]? Shape { get; init; }

        [JsonPropertyName("offset")]
        public long? Offset { get; init; }

        [JsonPropertyName("length")]
        public long? Length { get; init; }
    }
}
