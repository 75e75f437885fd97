using System.Buffers.Binary;
using Sciot.Core.Protocol;

namespace Sciot.Tests.Protocol;

public class ResultPayloadV1Tests
{
    /// <summary>A reference-client message written out byte by byte, so the test does not trust Encode.</summary>
    private static readonly byte[] HandBuilt =
    [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F, // timestamp 1.5
        (byte)'d', (byte)'e', (byte)'v', (byte)'0', (byte)'1', 0x00, 0x00, 0x00, 0x00, // device_id "dev01"
        (byte)'0', (byte)'0', (byte)'0', (byte)'1', // message_id: the reference client sends ASCII "0001"
        0x0F, 0x00, 0x00, 0x00, // offloading_layer_index 15
        0x08, 0x00, 0x00, 0x00, // tensor_byte_count 8
        0x00, 0x00, 0x80, 0x3F, // 1.0f
        0x00, 0x00, 0x00, 0xC0, // -2.0f
        0x04, 0x00, 0x00, 0x00, // layer_times_byte_count 4
        0x00, 0x00, 0x00, 0x3F, // 0.5f
    ];

    /// <summary>Offset at which each field of <see cref="HandBuilt"/> starts.</summary>
    private static readonly (int Start, string Field)[] FieldStarts =
    [
        (0, "timestamp"),
        (8, "device_id"),
        (17, "message_id"),
        (21, "offloading_layer_index"),
        (25, "tensor_byte_count"),
        (29, "tensor_bytes"),
        (37, "layer_times_byte_count"),
        (41, "layer_times_bytes"),
    ];

    [Fact]
    public void Parse_hand_built_payload_reads_every_field()
    {
        var payload = ResultPayloadV1.Parse(HandBuilt);

        Assert.Equal(1.5, payload.Timestamp);
        Assert.Equal("dev01", payload.DeviceId);
        Assert.Equal(0x31303030u, payload.MessageId);
        Assert.Equal(15, payload.LayerIndex);
        Assert.Equal([1.0f, -2.0f], payload.TensorNhwc);
        Assert.Equal([0.5f], payload.LayerTimesSeconds);
    }

    [Fact]
    public void Encode_reproduces_hand_built_bytes()
    {
        Assert.Equal(HandBuilt, ResultPayloadV1.Parse(HandBuilt).Encode());
    }

    [Fact]
    public void Round_trip_keeps_all_fields()
    {
        var original = new ResultPayloadV1(
            1_722_000_000.123456,
            "device_01",
            uint.MaxValue,
            -1,
            Enumerable.Range(0, 1152 / 4).Select(i => i * 0.25f - 7).ToArray(),
            Enumerable.Range(0, 59).Select(i => i / 1000f).ToArray());

        var bytes = original.Encode();
        var parsed = ResultPayloadV1.Parse(bytes);

        Assert.Equal(ResultPayloadV1.FixedHeaderBytes + 1152 + 4 + 59 * 4, bytes.Length);
        Assert.Equal(original.Timestamp, parsed.Timestamp);
        Assert.Equal(original.DeviceId, parsed.DeviceId);
        Assert.Equal(original.MessageId, parsed.MessageId);
        Assert.Equal(original.LayerIndex, parsed.LayerIndex);
        Assert.Equal(original.TensorNhwc, parsed.TensorNhwc);
        Assert.Equal(original.LayerTimesSeconds, parsed.LayerTimesSeconds);
    }

    [Fact]
    public void Round_trip_with_empty_tensor_and_times()
    {
        var parsed = ResultPayloadV1.Parse(new ResultPayloadV1(0, "x", 0, 0, [], []).Encode());

        Assert.Empty(parsed.TensorNhwc);
        Assert.Empty(parsed.LayerTimesSeconds);
    }

    [Fact]
    public void Every_truncation_names_the_field_that_ran_out()
    {
        for (var length = 0; length < HandBuilt.Length; length++)
        {
            var expected = FieldStarts.Last(f => f.Start <= length).Field;

            var error = Assert.Throws<PayloadFormatException>(() => ResultPayloadV1.Parse(HandBuilt.AsSpan(0, length)));

            Assert.True(expected == error.Field, $"length {length}: expected field {expected}, got {error.Field} ({error.Message})");
            Assert.StartsWith(expected + ": ", error.Message);
        }
    }

    [Fact]
    public void Truncated_tensor_message_states_declared_and_remaining_bytes()
    {
        var bytes = HandBuilt.AsSpan(0, 31).ToArray();

        var error = Assert.Throws<PayloadFormatException>(() => ResultPayloadV1.Parse(bytes));

        Assert.Equal("tensor_bytes: declared 8 bytes but only 2 remain", error.Message);
    }

    [Fact]
    public void Tensor_byte_count_not_multiple_of_four_is_rejected()
    {
        var bytes = (byte[])HandBuilt.Clone();
        bytes[25] = 7;

        Assert.Equal("tensor_byte_count", Assert.Throws<PayloadFormatException>(() => ResultPayloadV1.Parse(bytes)).Field);
    }

    [Theory]
    [InlineData(-4)]
    [InlineData(6)]
    public void Bad_layer_times_byte_count_is_rejected(int count)
    {
        var bytes = (byte[])HandBuilt.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(37), count);

        Assert.Equal("layer_times_byte_count", Assert.Throws<PayloadFormatException>(() => ResultPayloadV1.Parse(bytes)).Field);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        byte[] bytes = [.. HandBuilt, 0x00];

        Assert.Equal("payload", Assert.Throws<PayloadFormatException>(() => ResultPayloadV1.Parse(bytes)).Field);
    }

    [Fact]
    public void Layer_index_below_minus_one_is_rejected()
    {
        var bytes = (byte[])HandBuilt.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(21), -2);

        Assert.Equal("offloading_layer_index", Assert.Throws<PayloadFormatException>(() => ResultPayloadV1.Parse(bytes)).Field);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'a', 0x07, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'a', 0xC3, 0xA9, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'a', 0, (byte)'b', 0, 0, 0, 0, 0, 0 })]
    public void Bad_device_id_is_rejected(byte[] deviceId)
    {
        var bytes = (byte[])HandBuilt.Clone();
        deviceId.CopyTo(bytes, 8);

        Assert.Equal("device_id", Assert.Throws<PayloadFormatException>(() => ResultPayloadV1.Parse(bytes)).Field);
    }

    [Fact]
    public void Nine_character_device_id_needs_no_padding()
    {
        var bytes = (byte[])HandBuilt.Clone();
        "device_01"u8.CopyTo(bytes.AsSpan(8));

        Assert.Equal("device_01", ResultPayloadV1.Parse(bytes).DeviceId);
    }

    [Fact]
    public void Non_finite_timestamp_is_rejected()
    {
        var bytes = (byte[])HandBuilt.Clone();
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, double.NaN);

        Assert.Equal("timestamp", Assert.Throws<PayloadFormatException>(() => ResultPayloadV1.Parse(bytes)).Field);
    }

    [Fact]
    public void Negative_layer_time_is_rejected()
    {
        var bytes = (byte[])HandBuilt.Clone();
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(41), -0.5f);

        Assert.Equal("layer_times_bytes", Assert.Throws<PayloadFormatException>(() => ResultPayloadV1.Parse(bytes)).Field);
    }

    [Theory]
    [InlineData("device_001")]
    [InlineData("")]
    [InlineData("dév")]
    public void Encode_rejects_device_id_the_wire_cannot_carry(string deviceId)
    {
        var payload = new ResultPayloadV1(0, deviceId, 0, 0, [], []);

        Assert.Equal("device_id", Assert.Throws<PayloadFormatException>(() => payload.Encode()).Field);
    }
}
