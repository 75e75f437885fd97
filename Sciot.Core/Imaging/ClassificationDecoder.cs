using Sciot.Core.Tensors;

namespace Sciot.Core.Imaging;

/// <summary>Picks the top class of a classifier output such as [1, C].</summary>
public static class ClassificationDecoder
{
    private const float ProbabilitySumTolerance = 1e-3f;

    public static Classification Decode(NamedTensor output, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Decode(output.Data, labels);
    }

    public static Classification Decode(ReadOnlySpan<float> scores, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.IsEmpty)
        {
            throw new ArgumentException("Classifier output is empty.", nameof(scores));
        }
        if (labels.Count != scores.Length)
        {
            throw new ArgumentException(
                $"Classifier output has {scores.Length} values but {labels.Count} labels were given.", nameof(labels));
        }

        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        // Exported graphs sometimes end at the logits because the softmax was fused into the training loss;
        // normalizing here keeps Score a probability either way, so one confidence threshold works for both.
        var score = IsProbabilityDistribution(scores) ? scores[best] : SoftmaxAt(scores, best);
        return new Classification(labels[best], best, score);
    }

    private static bool IsProbabilityDistribution(ReadOnlySpan<float> scores)
    {
        var sum = 0.0;
        foreach (var s in scores)
        {
            if (s is < 0f or > 1f)
            {
                return false;
            }
            sum += s;
        }
        return Math.Abs(sum - 1.0) <= ProbabilitySumTolerance;
    }

    private static float SoftmaxAt(ReadOnlySpan<float> logits, int index)
    {
        // Subtracting the maximum keeps exp() from overflowing on large logits without changing the result.
        var max = logits[0];
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }
        var denominator = 0.0;
        foreach (var l in logits)
        {
            denominator += Math.Exp(l - max);
        }
        return (float)(Math.Exp(logits[index] - max) / denominator);
    }
}
