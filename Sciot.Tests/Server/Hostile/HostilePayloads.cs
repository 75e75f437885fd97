using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Sciot.Tests.Server.Hostile;

/// <summary>
/// Malformed result bodies derived from two valid ones (v1 and v2 of the same cut), deterministic by seed:
/// truncation at every offset, bit flips, lying length fields, v2 headers rewritten field by field (wrong types,
/// sizes that do not fit, NaN and infinity, wrong model version, duplicate and deeply nested keys, huge strings),
/// random bytes and empty bodies. Some bit flips land in tensor data and stay valid; that is part of the mix.
/// </summary>
public sealed class HostilePayloads(byte[] validV1, byte[] validV2, int seed)
{
    private readonly Random _random = new(seed);

    public IEnumerable<(string Kind, byte[] Body)> All() =>
        Truncations(validV1, "v1").Concat(Truncations(validV2, "v2"))
            .Concat(BitFlips(validV1, "v1", 2500)).Concat(BitFlips(validV2, "v2", 2500))
            .Concat(LyingV1Lengths()).Concat(LyingV2Lengths()).Concat(V2Headers())
            .Concat(RandomBodies(1000)).Append(("empty", []));

    private static IEnumerable<(string, byte[])> Truncations(byte[] valid, string format) =>
        Enumerable.Range(0, valid.Length).Select(n => ($"{format} truncated at {n}", valid[..n]));

    private IEnumerable<(string, byte[])> BitFlips(byte[] valid, string format, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var body = (byte[])valid.Clone();
            var at = _random.Next(body.Length);
            body[at] ^= (byte)(1 << _random.Next(8));
            yield return ($"{format} bit flip at {at}", body);
        }
    }

    /// <summary>v1: tensor_byte_count at 25 and layer_times_byte_count after the tensor, each set to lies.</summary>
    private IEnumerable<(string, byte[])> LyingV1Lengths()
    {
        var n = BinaryPrimitives.ReadInt32LittleEndian(validV1.AsSpan(25));
        var m = BinaryPrimitives.ReadInt32LittleEndian(validV1.AsSpan(29 + n));
        foreach (var lie in new[] { -1, -4, int.MinValue, int.MaxValue, 0, 1, 3, n - 4, n - 1, n + 1, n + 4, n * 2, validV1.Length })
        {
            yield return ($"v1 tensor_byte_count {lie}", With(validV1, 25, lie));
        }
        foreach (var lie in new[] { -1, -4, int.MinValue, int.MaxValue, 0, 1, m - 4, m - 1, m + 1, m + 4, m * 2 })
        {
            yield return ($"v1 layer_times_byte_count {lie}", With(validV1, 29 + n, lie));
        }
        foreach (var k in new[] { -2, int.MinValue, int.MaxValue, 59, 10_000 })
        {
            yield return ($"v1 offloading_layer_index {k}", With(validV1, 21, k));
        }
        // NaN and infinity as the timestamp, a tensor value and a layer time.
        foreach (var (field, at) in new[] { ("timestamp", 0), ("tensor", 29), ("layer time", 33 + n) })
        {
            foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                var body = (byte[])validV1.Clone();
                if (field == "timestamp")
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(body.AsSpan(at), bad);
                }
                else
                {
                    BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(at), (float)bad);
                }
                yield return ($"v1 {field} {bad}", body);
            }
        }
    }

    private IEnumerable<(string, byte[])> LyingV2Lengths()
    {
        var h = BinaryPrimitives.ReadInt32LittleEndian(validV2.AsSpan(4));
        foreach (var lie in new[] { -1, int.MinValue, int.MaxValue, 0, 1, h - 1, h + 1, h + 4, 65_536, 65_537, validV2.Length })
        {
            yield return ($"v2 header_length {lie}", With(validV2, 4, lie));
        }
    }

    /// <summary>The v2 header rewritten one field at a time, the data section kept.</summary>
    private IEnumerable<(string, byte[])> V2Headers()
    {
        var h = BinaryPrimitives.ReadInt32LittleEndian(validV2.AsSpan(4));
        var header = Encoding.UTF8.GetString(validV2, 8, h);
        var data = validV2[(8 + h)..];
        JsonNode Header() => JsonNode.Parse(header)!;
        var length = Header()["tensors"]![0]!["length"]!.GetValue<long>();

        var edits = new List<(string, Action<JsonNode>)>
        {
            ("model_version other", j => j["model_version"] = new string('0', 64)),
            ("model_version short", j => j["model_version"] = "abc"),
            ("model_name other", j => j["model_name"] = "mobilenet_lite"),
            ("model_name empty", j => j["model_name"] = ""),
            ("model_name huge", j => j["model_name"] = new string('m', 60_000)),
            ("model_name number", j => j["model_name"] = 5),
            ("message_id negative", j => j["message_id"] = -1),
            ("message_id huge", j => j["message_id"] = 1e300),
            ("message_id string", j => j["message_id"] = "1"),
            ("offloading_layer_index -2", j => j["offloading_layer_index"] = -2),
            ("offloading_layer_index 59", j => j["offloading_layer_index"] = 59),
            ("offloading_layer_index 20 with the tensor of another cut", j => j["offloading_layer_index"] = 20),
            ("offloading_layer_index fraction", j => j["offloading_layer_index"] = 2.5),
            ("timestamp string", j => j["timestamp"] = "now"),
            ("layer_times_s empty", j => j["layer_times_s"] = new JsonArray()),
            ("layer_times_s too many", j => j["layer_times_s"]!.AsArray().Add(0.1)),
            ("layer_times_s negative", j => j["layer_times_s"]![0] = -1),
            ("layer_times_s huge", j => j["layer_times_s"]![0] = 1e39),
            ("layer_times_s object", j => j["layer_times_s"] = new JsonObject()),
            ("upload_seconds without bytes", j => j["upload_seconds"] = 0.1),
            ("upload_bytes negative", j => { j["upload_seconds"] = 0.1; j["upload_bytes"] = -5; }),
            ("tensors empty", j => j["tensors"] = new JsonArray()),
            ("tensors null", j => j["tensors"] = null),
            ("tensor name other", j => j["tensors"]![0]!["name"] = "input"),
            ("tensor dtype float64", j => j["tensors"]![0]!["dtype"] = "float64"),
            ("tensor shape wrong", j => j["tensors"]![0]!["shape"] = new JsonArray(1, 2, 12, 12)),
            ("tensor shape zero", j => j["tensors"]![0]!["shape"]![1] = 0),
            ("tensor shape huge", j => j["tensors"]![0]!["shape"]![1] = int.MaxValue),
            ("tensor length -4", j => j["tensors"]![0]!["length"] = length - 4),
            ("tensor length +4", j => j["tensors"]![0]!["length"] = length + 4),
            ("tensor length negative", j => j["tensors"]![0]!["length"] = -length),
            ("tensor offset 4", j => j["tensors"]![0]!["offset"] = 4),
            ("tensor offset negative", j => j["tensors"]![0]!["offset"] = -4),
            ("tensor offset huge", j => j["tensors"]![0]!["offset"] = long.MaxValue),
            ("tensor twice", j => j["tensors"]!.AsArray().Add(j["tensors"]![0]!.DeepClone())),
            ("header array", _ => { }),
        };
        foreach (var (name, edit) in edits)
        {
            var json = Header();
            edit(json);
            var text = name == "header array" ? $"[{json.ToJsonString()}]" : json.ToJsonString();
            yield return ($"v2 header {name}", V2(text, data));
        }
        yield return ("v2 header duplicate key", V2(header.Replace("\"message_id\":", "\"message_id\":1,\"message_id\":"), data));
        yield return ("v2 header deeply nested", V2(header.TrimEnd('}') + ",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}", data));
        yield return ("v2 header not JSON", V2("{\"model_name\": fomo", data));
        yield return ("v2 header invalid UTF-8", V2Raw([0x7B, 0xFF, 0xFE, 0x7D], data));
        yield return ("v2 data section short", V2(header, data[..^4]));
        yield return ("v2 data section long", V2(header, [.. data, 0, 0, 0, 0]));
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var tensor = (byte[])data.Clone();
            BinaryPrimitives.WriteSingleLittleEndian(tensor.AsSpan(_random.Next(tensor.Length / 4) * 4), bad);
            yield return ($"v2 tensor {bad}", V2(header, tensor));
        }
    }

    private IEnumerable<(string, byte[])> RandomBodies(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var body = new byte[_random.Next(1, 5000)];
            _random.NextBytes(body);
            if (i % 2 == 0 && body.Length >= 4)
            {
                "SCT2"u8.CopyTo(body);
            }
            yield return ("random bytes", body);
        }
    }

    private static byte[] With(byte[] valid, int offset, int value)
    {
        var body = (byte[])valid.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(offset), value);
        return body;
    }

    private static byte[] V2(string header, byte[] data) => V2Raw(Encoding.UTF8.GetBytes(header), data);

    private static byte[] V2Raw(byte[] header, byte[] data)
    {
        var body = new byte[8 + header.Length + data.Length];
        "SCT2"u8.CopyTo(body);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), header.Length);
        header.CopyTo(body, 8);
        data.CopyTo(body, 8 + header.Length);
        return body;
    }
}
