using System.Runtime.InteropServices;
using Sciot.Core.Tensors;

namespace Sciot.Tests.Tensors;

public sealed class TensorBytesTests
{
    private static TensorBytes Of(float[] values) =>
        new("t", [1, values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_value_anywhere_is_found(float bad)
    {
        // 37 values: whole vectors plus a remainder, so both the vector loop and the scalar tail are exercised.
        for (var at = 0; at < 37; at++)
        {
            var values = Enumerable.Range(0, 37).Select(i => i * 0.5f - 3f).ToArray();
            values[at] = bad;
            Assert.False(Of(values).AllFinite(), $"{bad} at {at}");
        }
    }

    [Fact]
    public void Extreme_finite_values_are_finite()
    {
        float[] values = [float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 0f, -0f, 1e-40f, 3.4e38f, -1f];
        Assert.True(Of(values).AllFinite());
    }

    [Fact]
    public void Round_trips_to_the_same_floats()
    {
        var values = Enumerable.Range(0, 13).Select(i => MathF.Sin(i) * 100).ToArray();
        var tensor = Of(values).ToNamedTensor();
        Assert.Equal(values, tensor.Data);
        Assert.Equal([1, 13], tensor.Shape);
    }
}
