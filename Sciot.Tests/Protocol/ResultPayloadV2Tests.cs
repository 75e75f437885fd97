using System.Buffers.Binary;
using System.Text;
using Sciot.Core.Imaging;
using Sciot.Core.Protocol;
using Sciot.Core.Tensors;

namespace Sciot.Tests.Protocol;

public class ResultPayloadV2Tests
{
    private const string Version = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static ResultPayloadV2 TwoTensorPayload(double? uploadSeconds = 0.012, long? uploadBytes = 36_864) => new()
    {
        ModelName = "fomo_96x96",
        ModelVersion = Version,
        MessageId = 4_000_000_000,
        OffloadingLayerIndex = 17,
        Timestamp = 1_722_000_000.25,
        LayerTimesSeconds = Enumerable.Range(0, 18).Select(i => 0.001f * i).ToArray(),
        UploadSeconds = uploadSeconds,
        UploadBytes = uploadBytes,
        Tensors =
        [
            new NamedTensor("block_1_project_BN", [1, 8, 3, 3], Enumerable.Range(0, 72).Select(i => i * 0.5f).ToArray()),
            new NamedTensor("block_2_expand", [1, 4, 2, 2], Enumerable.Range(0, 16).Select(i => -i - 0.25f).ToArray()),
        ],
    };

    /// <summary>Frames a hand-written header and data section, for payloads Encode would refuse to produce.</summary>
    private static byte[] Frame(string json, int dataBytes) => Frame(Encoding.UTF8.GetBytes(json), new byte[dataBytes]);

    private static byte[] Frame(byte[] header, byte[] data)
    {
        var buffer = new byte[8 + header.Length + data.Length];
        "SCT2"u8.CopyTo(buffer);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), (uint)header.Length);
        header.CopyTo(buffer, 8);
        data.CopyTo(buffer, 8 + header.Length);
        return buffer;
    }

    /// <summary>A valid header whose tensor list is <paramref name="tensorsJson"/>.</summary>
    private static string Header(string tensorsJson, string extra = "") => $$"""
        {"model_name":"fomo_96x96","model_version":"{{Version}}","message_id":7,"offloading_layer_index":17,
         "timestamp":1.5,"layer_times_s":[0.1,0.2],"upload_seconds":null,"upload_bytes":null{{extra}},
         "tensors":{{tensorsJson}}}
        """;

    private static string Field(byte[] payload) =>
        Assert.Throws<PayloadFormatException>(() => ResultPayloadV2.Parse(payload)).Field;

    [Fact]
    public void Round_trip_with_two_tensors_keeps_every_field()
    {
        var original = TwoTensorPayload();

        var parsed = ResultPayloadV2.Parse(original.Encode());

        Assert.Equal(original.ModelName, parsed.ModelName);
        Assert.Equal(original.ModelVersion, parsed.ModelVersion);
        Assert.Equal(original.MessageId, parsed.MessageId);
        Assert.Equal(original.OffloadingLayerIndex, parsed.OffloadingLayerIndex);
        Assert.Equal(original.Timestamp, parsed.Timestamp);
        Assert.Equal(original.LayerTimesSeconds, parsed.LayerTimesSeconds);
        Assert.Equal(original.UploadSeconds, parsed.UploadSeconds);
        Assert.Equal(original.UploadBytes, parsed.UploadBytes);
        Assert.Equal(2, parsed.Tensors.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(original.Tensors[i].Name, parsed.Tensors[i].Name);
            Assert.Equal(original.Tensors[i].Shape, parsed.Tensors[i].Shape);
            Assert.Equal(original.Tensors[i].Data, parsed.Tensors[i].Data);
        }
    }

    [Fact]
    public void Round_trip_without_upload_measurement()
    {
        var parsed = ResultPayloadV2.Parse(TwoTensorPayload(null, null).Encode());

        Assert.Null(parsed.UploadSeconds);
        Assert.Null(parsed.UploadBytes);
    }

    [Fact]
    public void Encoded_layout_is_magic_length_header_then_packed_data()
    {
        var payload = TwoTensorPayload();
        var bytes = payload.Encode();

        var headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        var data = bytes.AsSpan(8 + headerLength);

        Assert.Equal("SCT2"u8.ToArray(), bytes[..4]);
        Assert.Contains("\"layer_times_s\":", header);
        Assert.Contains("\"dtype\":\"float32\"", header);
        Assert.Equal((72 + 16) * 4, data.Length);
        Assert.Equal(-0.25f, BinaryPrimitives.ReadSingleLittleEndian(data[(72 * 4)..]));
    }

    [Fact]
    public void Parse_accepts_tensors_stored_out_of_order()
    {
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data, 1f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), 2f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), 3f);
        var json = Header("""
            [{"name":"a","dtype":"float32","shape":[1,2],"offset":4,"length":8},
             {"name":"b","dtype":"float32","shape":[1],"offset":0,"length":4}]
            """);

        var parsed = ResultPayloadV2.Parse(Frame(Encoding.UTF8.GetBytes(json), data));

        Assert.Equal([2f, 3f], parsed.Tensors[0].Data);
        Assert.Equal([1f], parsed.Tensors[1].Data);
    }

    [Fact]
    public void Looks_like_v2_checks_the_magic_only()
    {
        Assert.True(ResultPayloadV2.LooksLikeV2(TwoTensorPayload().Encode()));
        Assert.True(ResultPayloadV2.LooksLikeV2("SCT2"u8));
        Assert.False(ResultPayloadV2.LooksLikeV2("SCT"u8));
        Assert.False(ResultPayloadV2.LooksLikeV2(new ResultPayloadV1(1.5, "dev01", 1, 3, [1f], [0.1f]).Encode()));
    }

    [Fact]
    public void Bad_magic_is_rejected()
    {
        var bytes = TwoTensorPayload().Encode();
        bytes[3] = (byte)'1';

        Assert.Equal("magic", Field(bytes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Payload_shorter_than_magic_is_rejected(int length)
    {
        Assert.Equal("magic", Field(TwoTensorPayload().Encode()[..length]));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(64u * 1024 + 1)]
    public void Insane_header_length_is_rejected(uint length)
    {
        var bytes = TwoTensorPayload().Encode();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), length);

        Assert.Equal("header_length", Field(bytes));
    }

    [Fact]
    public void Header_longer_than_payload_is_rejected()
    {
        var bytes = Frame(Header("[]"), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)bytes.Length);

        Assert.Equal("header", Field(bytes));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    [InlineData("{\"model_name\":\"a\"} trailing")]
    public void Bad_json_is_rejected(string json)
    {
        Assert.Equal("header", Field(Frame(json, 0)));
    }

    [Fact]
    public void Invalid_utf8_header_is_rejected()
    {
        var header = Encoding.UTF8.GetBytes(Header("[]"));
        header[20] = 0xFF;

        Assert.Equal("header", Field(Frame(header, [])));
    }

    [Fact]
    public void Duplicate_json_property_is_rejected()
    {
        var json = Header("""[{"name":"a","dtype":"float32","shape":[1],"offset":0,"length":4}]""", ""","message_id":8""");

        Assert.Throws<PayloadFormatException>(() => ResultPayloadV2.Parse(Frame(json, 4)));
    }

    [Fact]
    public void Missing_field_is_named()
    {
        var json = """{"model_version":"x","tensors":[]}""";

        Assert.Equal("model_name", Field(Frame(json, 0)));
    }

    [Fact]
    public void Wrongly_typed_field_is_named_by_its_json_path()
    {
        var json = Header("""[{"name":"a","dtype":"float32","shape":[1,"x"],"offset":0,"length":4}]""");

        Assert.Equal("tensors[0].shape[1]", Field(Frame(json, 4)));
    }

    [Fact]
    public void Negative_message_id_is_rejected()
    {
        var json = Header("""[{"name":"a","dtype":"float32","shape":[1],"offset":0,"length":4}]""").Replace("\"message_id\":7", "\"message_id\":-1");

        Assert.Equal("message_id", Field(Frame(json, 4)));
    }

    [Fact]
    public void Model_version_must_be_sha256_hex()
    {
        var json = Header("""[{"name":"a","dtype":"float32","shape":[1],"offset":0,"length":4}]""").Replace(Version, "v1.0");

        Assert.Equal("model_version", Field(Frame(json, 4)));
    }

    [Fact]
    public void Upload_fields_come_in_pairs()
    {
        var json = Header("""[{"name":"a","dtype":"float32","shape":[1],"offset":0,"length":4}]""").Replace("\"upload_seconds\":null", "\"upload_seconds\":0.5");

        Assert.Equal("upload_bytes", Field(Frame(json, 4)));
    }

    [Fact]
    public void Empty_tensor_list_is_rejected()
    {
        Assert.Equal("tensors", Field(Frame(Header("[]"), 0)));
    }

    [Fact]
    public void Length_not_matching_shape_is_rejected()
    {
        var json = Header("""[{"name":"a","dtype":"float32","shape":[1,2,3],"offset":0,"length":20}]""");

        Assert.Equal("tensors[0].length", Field(Frame(json, 20)));
    }

    [Fact]
    public void Declared_bytes_not_matching_data_section_are_rejected()
    {
        var json = Header("""[{"name":"a","dtype":"float32","shape":[2],"offset":0,"length":8}]""");

        Assert.Equal("tensors", Field(Frame(json, 12)));
    }

    [Fact]
    public void Range_outside_data_section_is_rejected()
    {
        var json = Header("""[{"name":"a","dtype":"float32","shape":[2],"offset":4,"length":8}]""");

        Assert.Equal("tensors[0].offset", Field(Frame(json, 8)));
    }

    [Fact]
    public void Unknown_dtype_is_rejected()
    {
        var json = Header("""
            [{"name":"a","dtype":"float32","shape":[1],"offset":0,"length":4},
             {"name":"b","dtype":"int8","shape":[4],"offset":4,"length":4}]
            """);

        var error = Assert.Throws<PayloadFormatException>(() => ResultPayloadV2.Parse(Frame(json, 8)));

        Assert.Equal("tensors[1].dtype", error.Field);
        Assert.Contains("int8", error.Message);
    }

    [Fact]
    public void Duplicate_tensor_names_are_rejected()
    {
        var json = Header("""
            [{"name":"a","dtype":"float32","shape":[1],"offset":0,"length":4},
             {"name":"a","dtype":"float32","shape":[1],"offset":4,"length":4}]
            """);

        Assert.Equal("tensors[1].name", Field(Frame(json, 8)));
    }

    [Fact]
    public void Empty_tensor_name_is_rejected()
    {
        var json = Header("""[{"name":"","dtype":"float32","shape":[1],"offset":0,"length":4}]""");

        Assert.Equal("tensors[0].name", Field(Frame(json, 4)));
    }

    [Fact]
    public void Overlapping_offsets_are_rejected()
    {
        // Total declared bytes equal the data section, so only the overlap check can catch this.
        var json = Header("""
            [{"name":"a","dtype":"float32","shape":[2],"offset":0,"length":8},
             {"name":"b","dtype":"float32","shape":[2],"offset":4,"length":8},
             {"name":"c","dtype":"float32","shape":[1],"offset":12,"length":4}]
            """);

        Assert.Equal("tensors[1].offset", Field(Frame(json, 20)));
    }

    [Fact]
    public void Non_positive_dimension_is_rejected()
    {
        var json = Header("""[{"name":"a","dtype":"float32","shape":[1,0],"offset":0,"length":0}]""");

        Assert.Equal("tensors[0].shape", Field(Frame(json, 0)));
    }

    [Fact]
    public void Encode_rejects_data_not_matching_shape()
    {
        var payload = TwoTensorPayload() with { Tensors = [new NamedTensor("a", [2, 2], [1f, 2f, 3f])] };

        Assert.Equal("tensors[0].shape", Assert.Throws<PayloadFormatException>(() => payload.Encode()).Field);
    }

    [Fact]
    public void Encode_rejects_duplicate_names()
    {
        var payload = TwoTensorPayload() with
        {
            Tensors = [new NamedTensor("a", [1], [1f]), new NamedTensor("a", [1], [2f])],
        };

        Assert.Equal("tensors[1].name", Assert.Throws<PayloadFormatException>(() => payload.Encode()).Field);
    }

    private const string OneTensor = """[{"name":"a","dtype":"float32","shape":[1],"offset":0,"length":4}]""";

    [Fact]
    public void Round_trip_keeps_the_quality_of_the_previous_prediction()
    {
        var parsed = ResultPayloadV2.Parse((TwoTensorPayload() with { Quality = new DetectionMatchResult(3, 1, 2) }).Encode());

        Assert.Equal(new DetectionMatchResult(3, 1, 2), parsed.Quality);
    }

    [Fact]
    public void Without_quality_the_header_has_no_quality_field()
    {
        var bytes = TwoTensorPayload().Encode();
        var header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));

        Assert.DoesNotContain("quality", header);
        Assert.Null(ResultPayloadV2.Parse(bytes).Quality);
    }

    [Theory]
    [InlineData("""{"true_positives":-1,"false_positives":0,"false_negatives":0}""", "quality.true_positives")]
    [InlineData("""{"true_positives":0,"false_positives":-3,"false_negatives":0}""", "quality.false_positives")]
    [InlineData("""{"true_positives":0,"false_positives":0,"false_negatives":10001}""", "quality.false_negatives")]
    [InlineData("""{"true_positives":0,"false_negatives":0}""", "quality.false_positives")]
    [InlineData("""{"true_positives":0.5,"false_positives":0,"false_negatives":0}""", "quality.true_positives")]
    [InlineData("""{"true_positives":"1","false_positives":0,"false_negatives":0}""", "quality.true_positives")]
    [InlineData("""[1,0,0]""", "quality")]
    public void Bad_quality_is_rejected_naming_the_field(string quality, string field)
    {
        Assert.Equal(field, Field(Frame(Header(OneTensor, $",\"quality\":{quality}"), 4)));
    }

    [Fact]
    public void Encode_rejects_a_negative_quality_count()
    {
        var payload = TwoTensorPayload() with { Quality = new DetectionMatchResult(1, 0, -1) };

        Assert.Equal("quality.false_negatives", Assert.Throws<PayloadFormatException>(() => payload.Encode()).Field);
    }
}
