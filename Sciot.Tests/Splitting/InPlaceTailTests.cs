using System.Runtime.InteropServices;
using Sciot.Core.Models.Building;
using Sciot.Core.Protocol;
using Sciot.Core.Tensors;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Splitting;

/// <summary>The server's tail on tensors left in the request body gives what the tail on decoded arrays gives.</summary>
public sealed class InPlaceTailTests(ShippedModelFixture models) : IClassFixture<ShippedModelFixture>
{
    private static TensorBytes[] InBuffer(IReadOnlyList<NamedTensor> live, int shift)
    {
        // One buffer holding every tensor after `shift` leading bytes, as a request body holds them after its header.
        var total = live.Sum(t => t.Data.Length * sizeof(float));
        var buffer = new byte[shift + total];
        var offset = shift;
        var views = new List<TensorBytes>();
        foreach (var t in live)
        {
            var bytes = MemoryMarshal.AsBytes(t.Data.AsSpan());
            bytes.CopyTo(buffer.AsSpan(offset));
            views.Add(new TensorBytes(t.Name, t.Shape, buffer.AsMemory(offset, bytes.Length)));
            offset += bytes.Length;
        }
        return views.ToArray();
    }

    [Theory]
    [InlineData(11, 0)]
    [InlineData(20, 0)]
    [InlineData(20, 1)] // misaligned: decoded into an array first
    [InlineData(20, 6)]
    [InlineData(58, 0)] // the last cut: the device output is the model output
    public void Tail_on_bytes_equals_tail_on_arrays(int k, int shift)
    {
        var split = models.Split(ShippedModels.Fomo);
        var input = ShippedModelFixture.RandomInput(split.Graph, 5);
        var live = split.RunHead(k, [input]);
        var expected = split.RunTail(k, live);
        var actual = split.RunTail(k, InBuffer(live, shift));
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Data, actual[i].Data);
        }
    }

    [Fact]
    public void Wrong_length_is_refused_naming_the_tensor()
    {
        var split = models.Split(ShippedModels.Fomo);
        var live = split.RunHead(11, [ShippedModelFixture.RandomInput(split.Graph, 5)]);
        var view = InBuffer(live, 0)[0];
        var shorter = view with { Bytes = view.Bytes[..^4] };
        var e = Assert.Throws<ArgumentException>(() => split.RunTail(11, [shorter]));
        Assert.Contains($"'{view.Name}'", e.Message);
    }

    [Fact]
    public void Parsed_in_place_tensors_equal_the_decoded_ones_and_the_data_is_aligned()
    {
        var split = models.Split(ShippedModels.Fomo);
        var live = split.RunHead(20, [ShippedModelFixture.RandomInput(split.Graph, 9)]);
        Assert.Equal(2, live.Count);
        var payload = new ResultPayloadV2
        {
            ModelName = ShippedModels.Fomo,
            ModelVersion = new string('a', 64),
            MessageId = 7,
            OffloadingLayerIndex = 20,
            Timestamp = 1_700_000_000.25,
            LayerTimesSeconds = new float[21],
            Tensors = live,
        }.Encode();
        var decoded = ResultPayloadV2.Parse(payload);
        var (fields, inPlace) = ResultPayloadV2.ParseInPlace(payload);
        Assert.Equal(7u, fields.MessageId);
        Assert.Empty(fields.Tensors);
        Assert.Equal(decoded.Tensors.Select(t => t.Name), inPlace.Select(t => t.Name));
        for (var i = 0; i < inPlace.Length; i++)
        {
            Assert.Equal(decoded.Tensors[i].Data, inPlace[i].ToNamedTensor().Data);
            Assert.True(MemoryMarshal.TryGetArray(inPlace[i].Bytes, out var segment));
            Assert.Same(payload, segment.Array);
            // The data section starts aligned; each later tensor follows whole floats.
            Assert.Equal(0, segment.Offset % (i == 0 ? ResultPayloadV2.DataAlignment : sizeof(float)));
        }
    }
}
