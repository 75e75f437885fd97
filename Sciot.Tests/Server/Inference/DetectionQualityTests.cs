using System.Net;
using System.Text.Json;
using Sciot.Core.Imaging;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

/// <summary>
/// The detection quality a v2 device reports for the server's previous prediction reaches <c>/api/clients/{id}</c>
/// and <c>/api/statistics</c> (what the fleet page shows); a v1 device reports none; a bad count is a 400 naming it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DetectionQualityTests(ServerFixture server)
{
    private HttpClient Http => server.Client;
    private ScriptedDevice Device => server.Device;

    private byte[] Result(int messageId, DetectionMatchResult? quality) =>
        (Device.V2Payload(ScriptedDevice.Fomo, 10, Device.Frame(ScriptedDevice.Fomo, messageId), (uint)messageId) with { Quality = quality }).Encode();

    [Fact]
    public async Task Reported_counts_give_the_precision_and_recall_they_determine()
    {
        var id = server.NewClientId("quality");
        await Http.RegisterAsync(id);

        // The first result has no previous prediction to score; the next two score theirs: 4 right, 1 wrong, 2 missed.
        await Http.PostResultOkAsync(id, Result(1, null));
        await Http.PostResultOkAsync(id, Result(2, new DetectionMatchResult(3, 1, 0)));
        await Http.PostResultOkAsync(id, Result(3, new DetectionMatchResult(1, 0, 2)));

        var quality = (await Http.ClientAsync(id)).GetProperty("detection_quality");
        Assert.Equal(2, quality.GetProperty("evaluated_frames").GetInt64());
        Assert.Equal(4, quality.GetProperty("true_positives").GetInt64());
        Assert.Equal(1, quality.GetProperty("false_positives").GetInt64());
        Assert.Equal(2, quality.GetProperty("false_negatives").GetInt64());
        Assert.Equal(0.8, quality.GetProperty("precision").GetDouble(), 12);
        Assert.Equal(4.0 / 6, quality.GetProperty("recall").GetDouble(), 12);
        Assert.Equal(2 * 0.8 * (4.0 / 6) / (0.8 + 4.0 / 6), quality.GetProperty("f1").GetDouble(), 12);
        Assert.Equal(50, quality.GetProperty("window_size").GetInt32());
        Assert.Equal(2, quality.GetProperty("window").GetProperty("evaluated_frames").GetInt64());
        Assert.Equal(0.8, quality.GetProperty("window").GetProperty("precision").GetDouble(), 12);

        var statistics = await ServerHttp.OkJsonAsync(await Http.GetAsync($"/api/statistics?client_id={id}"));
        var row = statistics.GetProperty("clients").EnumerateArray().Single();
        Assert.Equal(0.8, row.GetProperty("detection_quality").GetProperty("precision").GetDouble(), 12);
        Assert.Equal(4.0 / 6, row.GetProperty("detection_quality").GetProperty("recall").GetDouble(), 12);
    }

    [Fact]
    public async Task A_v1_device_reports_no_quality_so_none_is_shown()
    {
        var id = server.NewClientId("v1q");
        await Http.RegisterAsync(id);

        await Http.PostResultOkAsync(id, Device.V1(ScriptedDevice.Fomo, 10, Device.Frame(ScriptedDevice.Fomo, 4), id, messageId: 1));

        var client = await Http.ClientAsync(id);
        Assert.Equal(1, client.GetProperty("inference_count").GetInt64());
        Assert.False(client.TryGetProperty("detection_quality", out var quality) && quality.ValueKind != JsonValueKind.Null, client.ToString());
    }

    [Theory]
    [InlineData("""{"true_positives":-1,"false_positives":0,"false_negatives":0}""", "quality.true_positives")]
    [InlineData("""{"true_positives":1,"false_positives":0}""", "quality.false_negatives")]
    [InlineData("""{"true_positives":1,"false_positives":1.5,"false_negatives":0}""", "quality.false_positives")]
    [InlineData("""{"true_positives":1,"false_positives":0,"false_negatives":10001}""", "quality.false_negatives")]
    public async Task A_bad_quality_count_is_a_400_naming_the_field(string quality, string field)
    {
        var id = server.NewClientId("badq");
        await Http.RegisterAsync(id);
        var valid = Result(1, new DetectionMatchResult(7, 7, 7));
        var body = ReplaceQuality(valid, """{"true_positives":7,"false_positives":7,"false_negatives":7}""", quality);

        using var response = await Http.PostResultAsync(id, body);

        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.Field());
        Assert.Equal(0, (await Http.ClientAsync(id)).GetProperty("inference_count").GetInt64());
    }

    /// <summary>Rewrites the quality object inside an encoded payload's JSON header (the data section is unchanged).</summary>
    private static byte[] ReplaceQuality(byte[] payload, string from, string to)
    {
        var headerLength = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(4));
        var header = System.Text.Encoding.UTF8.GetString(payload, 8, headerLength);
        Assert.Contains(from, header);
        var newHeader = System.Text.Encoding.UTF8.GetBytes(header.Replace(from, to));
        var data = payload.AsSpan(8 + headerLength);
        var result = new byte[8 + newHeader.Length + data.Length];
        "SCT2"u8.CopyTo(result);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)newHeader.Length);
        newHeader.CopyTo(result, 8);
        data.CopyTo(result.AsSpan(8 + newHeader.Length));
        return result;
    }
}
