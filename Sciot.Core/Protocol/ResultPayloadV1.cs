using System.Buffers.Binary;
using System.Text;

namespace Sciot.Core.Protocol;

/// <summary>
/// The reference SCIoT device result message, byte for byte, so unmodified reference clients keep working.
/// It carries exactly one tensor (the output of layer <see cref="LayerIndex"/> in TFLite's NHWC order),
/// which is why cuts with more than one live tensor need <see cref="ResultPayloadV2"/>.
/// </summary>
/// <param name="Timestamp">Client clock at send time, seconds since the Unix epoch.</param>
/// <param name="DeviceId">At most 9 printable ASCII characters (the NUL padding is not part of it).</param>
/// <param name="MessageId">The 4 message-id bytes read as a little-endian u32.</param>
/// <param name="LayerIndex">Last layer the device ran; -1 is accepted because the reference uses it for "whole model on device".</param>
/// <param name="TensorNhwc">Output of <see cref="LayerIndex"/>, NHWC as TFLite produces it.</param>
/// <param name="LayerTimesSeconds">Device time of each layer it ran, in seconds.</param>
public sealed record ResultPayloadV1(
    double Timestamp,
    string DeviceId,
    uint MessageId,
    int LayerIndex,
    float[] TensorNhwc,
    float[] LayerTimesSeconds)
{
    public const int DeviceIdBytes = 9;

    /// <summary>Bytes before the tensor data: timestamp, device id, message id, layer index, tensor byte count.</summary>
    public const int FixedHeaderBytes = sizeof(double) + DeviceIdBytes + sizeof(uint) + sizeof(int) + sizeof(uint);

    public static ResultPayloadV1 Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);

        var timestamp = reader.ReadDouble("timestamp");
        ValidateTimestamp(timestamp);

        var deviceId = DecodeDeviceId(reader.ReadFixed(DeviceIdBytes, "device_id"));
        var messageId = reader.ReadUInt32("message_id");

        var layerIndex = reader.ReadInt32("offloading_layer_index");
        ValidateLayerIndex(layerIndex);

        var tensorByteCount = reader.ReadUInt32("tensor_byte_count");
        if (tensorByteCount % sizeof(float) != 0)
        {
            throw new PayloadFormatException("tensor_byte_count", $"{tensorByteCount} is not a multiple of 4 (float32)");
        }
        var tensor = LittleEndianFloats.Read(reader.ReadBytes(tensorByteCount, "tensor_bytes"));

        var timesByteCount = reader.ReadInt32("layer_times_byte_count");
        if (timesByteCount < 0 || timesByteCount % sizeof(float) != 0)
        {
            throw new PayloadFormatException(
                "layer_times_byte_count", $"{timesByteCount} is not a non-negative multiple of 4 (float32)");
        }
        var layerTimes = LittleEndianFloats.Read(reader.ReadBytes(timesByteCount, "layer_times_bytes"));
        ValidateLayerTimes(layerTimes);

        if (reader.Remaining != 0)
        {
            throw new PayloadFormatException("payload", $"{reader.Remaining} unexpected bytes after layer_times_bytes");
        }

        return new ResultPayloadV1(timestamp, deviceId, messageId, layerIndex, tensor, layerTimes);
    }

    /// <exception cref="PayloadFormatException">A field holds a value <see cref="Parse"/> would reject.</exception>
    public byte[] Encode()
    {
        ValidateTimestamp(Timestamp);
        var deviceIdBytes = EncodeDeviceId(DeviceId);
        ValidateLayerIndex(LayerIndex);
        ValidateLayerTimes(LayerTimesSeconds);

        var tensorBytes = checked(TensorNhwc.Length * sizeof(float));
        var timesBytes = checked(LayerTimesSeconds.Length * sizeof(float));
        var buffer = new byte[checked(FixedHeaderBytes + tensorBytes + sizeof(int) + timesBytes)];
        var span = buffer.AsSpan();

        BinaryPrimitives.WriteDoubleLittleEndian(span, Timestamp);
        span = span[sizeof(double)..];
        deviceIdBytes.CopyTo(span);
        span = span[DeviceIdBytes..];
        BinaryPrimitives.WriteUInt32LittleEndian(span, MessageId);
        span = span[sizeof(uint)..];
        BinaryPrimitives.WriteInt32LittleEndian(span, LayerIndex);
        span = span[sizeof(int)..];
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)tensorBytes);
        span = span[sizeof(uint)..];
        LittleEndianFloats.Write(TensorNhwc, span);
        span = span[tensorBytes..];
        BinaryPrimitives.WriteInt32LittleEndian(span, timesBytes);
        span = span[sizeof(int)..];
        LittleEndianFloats.Write(LayerTimesSeconds, span);
        return buffer;
    }

    private static void ValidateTimestamp(double timestamp)
    {
        if (!double.IsFinite(timestamp))
        {
            throw new PayloadFormatException("timestamp", $"must be a finite number of seconds, got {timestamp}");
        }
    }

    private static void ValidateLayerIndex(int layerIndex)
    {
        if (layerIndex < -1)
        {
            throw new PayloadFormatException("offloading_layer_index", $"must be >= -1, got {layerIndex}");
        }
    }

    private static void ValidateLayerTimes(float[] layerTimes)
    {
        for (var i = 0; i < layerTimes.Length; i++)
        {
            if (!float.IsFinite(layerTimes[i]) || layerTimes[i] < 0)
            {
                throw new PayloadFormatException(
                    "layer_times_bytes", $"layer {i} time {layerTimes[i]} is not a finite non-negative number of seconds");
            }
        }
    }

    private static string DecodeDeviceId(ReadOnlySpan<byte> raw)
    {
        var end = raw.IndexOf((byte)0);
        var text = end < 0 ? raw : raw[..end];
        if (end >= 0 && raw[end..].ContainsAnyExcept((byte)0))
        {
            throw new PayloadFormatException("device_id", "has non-NUL bytes after the NUL padding");
        }
        if (text.IsEmpty)
        {
            throw new PayloadFormatException("device_id", "is empty");
        }
        var bad = text.IndexOfAnyExceptInRange((byte)' ', (byte)'~');
        if (bad >= 0)
        {
            throw new PayloadFormatException("device_id", $"byte {bad} (0x{text[bad]:X2}) is not printable ASCII");
        }
        return Encoding.ASCII.GetString(text);
    }

    private static byte[] EncodeDeviceId(string deviceId)
    {
        if (deviceId.Length is 0 or > DeviceIdBytes)
        {
            throw new PayloadFormatException("device_id", $"'{deviceId}' must be 1 to {DeviceIdBytes} characters long");
        }
        var bad = deviceId.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        if (bad >= 0)
        {
            throw new PayloadFormatException(
                "device_id", $"character {bad} (U+{(int)deviceId[bad]:X4}) is not printable ASCII");
        }
        var raw = new byte[DeviceIdBytes];
        Encoding.ASCII.GetBytes(deviceId, raw);
        return raw;
    }
}
