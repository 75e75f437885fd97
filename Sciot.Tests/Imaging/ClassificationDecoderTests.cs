using Sciot.Core.Imaging;
using Sciot.Core.Tensors;

namespace Sciot.Tests.Imaging;

public class ClassificationDecoderTests
{
    private static readonly string[] Labels = ["cat", "dog", "bird"];

    [Fact]
    public void Probabilities_AreUsedAsIs()
    {
        var result = ClassificationDecoder.Decode(new NamedTensor("out", [1, 3], [0.1f, 0.7f, 0.2f]), Labels);

        Assert.Equal(new Classification("dog", 1, 0.7f), result);
    }

    [Fact]
    public void Logits_AreSoftmaxed()
    {
        float[] logits = [1f, 2f, 3f];

        var result = ClassificationDecoder.Decode(logits, Labels);

        var expected = MathF.Exp(3) / (MathF.Exp(1) + MathF.Exp(2) + MathF.Exp(3));
        Assert.Equal("bird", result.Label);
        Assert.Equal(2, result.Index);
        Assert.Equal(expected, result.Score, 5);
    }

    [Fact]
    public void LargeLogits_DoNotOverflow()
    {
        float[] logits = [1000f, 999f, 0f];

        var result = ClassificationDecoder.Decode(logits, Labels);

        Assert.Equal(0, result.Index);
        Assert.Equal(1f / (1f + MathF.Exp(-1)), result.Score, 5);
    }

    [Fact]
    public void NonNormalizedScoresInUnitRange_AreSoftmaxed()
    {
        float[] scores = [0.9f, 0.9f, 0.1f];

        var result = ClassificationDecoder.Decode(scores, Labels);

        Assert.Equal(0, result.Index);
        Assert.True(result.Score < 0.5f);
    }

    [Fact]
    public void LabelCountMismatch_Throws()
    {
        float[] scores = [0.5f, 0.5f];

        Assert.Throws<ArgumentException>(() => ClassificationDecoder.Decode(scores, Labels));
    }
}
