using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sciot.Core.Models.Weights;

/// <summary>
/// Float32 tensors in the safetensors layout (a little-endian u64 header length, a JSON header naming each tensor's
/// dtype, shape and byte range, optional <c>__metadata__</c> strings, then the raw little-endian data), so the
/// committed weights are readable by any safetensors tool, not only by this code. Tensors keep their file order.
/// </summary>
public sealed class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";
    private const int HeaderAlignment = 8;
    private const long MaxHeaderBytes = 16 * 1024 * 1024;

    public SafeTensorsFile(IReadOnlyDictionary<string, string> metadata, IReadOnlyList<StoredTensor> tensors)
    {
        Metadata = metadata;
        Tensors = tensors;
    }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyList<StoredTensor> Tensors { get; }

    public byte[] ToBytes()
    {
        var header = new JsonObject();
        var metadata = new JsonObject();
        foreach (var (key, value) in Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            metadata[key] = value;
        }
        header[MetadataKey] = metadata;
        long offset = 0;
        foreach (var t in Tensors)
        {
            var end = offset + (long)t.Data.Length * sizeof(float);
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, end),
            };
            offset = end;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // The format pads the header with spaces so the data starts aligned.
        var headerLength = (json.Length + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment;
        var bytes = new byte[8 + headerLength + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerLength);
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length, headerLength - json.Length).Fill((byte)' ');
        var position = 8 + headerLength;
        foreach (var t in Tensors)
        {
            foreach (var v in t.Data)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(position), v);
                position += sizeof(float);
            }
        }
        return bytes;
    }

    public static SafeTensorsFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, "weights file is missing");
        }
        return Parse(File.ReadAllBytes(path), path);
    }

    public static SafeTensorsFile Parse(byte[] bytes, string pathForErrors)
    {
        if (bytes.Length < 8)
        {
            throw new ModelLoadException(pathForErrors, "not a safetensors file: shorter than its 8-byte header length");
        }
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || 8 + (long)headerLength > bytes.Length)
        {
            throw new ModelLoadException(pathForErrors, $"safetensors header length {headerLength} does not fit the {bytes.Length}-byte file");
        }
        var dataStart = 8 + (int)headerLength;
        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.AsSpan(8, (int)headerLength)) as JsonObject
                     ?? throw new ModelLoadException(pathForErrors, "safetensors header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException(pathForErrors, "safetensors header is not valid JSON: " + e.Message, e);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new List<StoredTensor>();
        foreach (var (name, node) in header)
        {
            if (name == MetadataKey)
            {
                foreach (var (key, value) in node?.AsObject() ?? [])
                {
                    metadata[key] = value?.GetValue<string>() ?? "";
                }
                continue;
            }
            tensors.Add(ReadTensor(name, node, bytes, dataStart, pathForErrors));
        }
        return new SafeTensorsFile(metadata, tensors);
    }

    private static StoredTensor ReadTensor(string name, JsonNode? node, byte[] bytes, int dataStart, string path)
    {
        try
        {
            var entry = node?.AsObject() ?? throw new FormatException("entry is null");
            JsonNode Field(string key) => entry[key] ?? throw new FormatException($"'{key}' is missing");
            var dtype = Field("dtype").GetValue<string>();
            if (dtype != "F32")
            {
                throw new ModelLoadException(path, $"tensor '{name}' has dtype {dtype}; only F32 is supported");
            }
            var shape = Field("shape").AsArray().Select(d => d?.GetValue<long>() ?? -1).ToArray();
            var offsets = Field("data_offsets").AsArray().Select(d => d?.GetValue<long>() ?? -1).ToArray();
            var count = shape.Aggregate(1L, (a, d) => a * d);
            if (offsets.Length != 2 || offsets[1] - offsets[0] != count * sizeof(float) || offsets[0] < 0
                || dataStart + offsets[1] > bytes.Length || shape.Any(d => d < 0))
            {
                throw new ModelLoadException(path,
                    $"tensor '{name}': byte range [{string.Join(", ", offsets)}] does not hold shape [{string.Join(", ", shape)}] inside the file");
            }
            var data = new float[count];
            var span = bytes.AsSpan(dataStart + (int)offsets[0]);
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(i * sizeof(float))..]);
            }
            return new StoredTensor(name, shape, data);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelLoadException(path, $"tensor '{name}' has a malformed header entry: {e.Message}", e);
        }
    }
}
