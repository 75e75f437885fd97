using Sciot.Core.Tensors;

namespace Sciot.Core.Imaging;

/// <summary>
/// Decodes a FOMO heat map (per-cell softmax probabilities, class 0 = background) into object centroids.
/// </summary>
public static class FomoDecoder
{
    public const float DefaultThreshold = 0.5f;

    public static IReadOnlyList<Detection> Decode(
        NamedTensor heatMap,
        int inputWidth,
        int inputHeight,
        IReadOnlyList<string> labels,
        float threshold = DefaultThreshold,
        HeatMapLayout layout = HeatMapLayout.Nchw)
    {
        ArgumentNullException.ThrowIfNull(heatMap);
        return Decode(heatMap.Data, heatMap.Shape, inputWidth, inputHeight, labels, threshold, layout);
    }

    /// <summary>
    /// Cells above <paramref name="threshold"/> that touch (8-connected) and share a class become one detection,
    /// centered on the probability-weighted centroid of their cell centers. Sorted by confidence, highest first.
    /// </summary>
    public static IReadOnlyList<Detection> Decode(
        ReadOnlySpan<float> data,
        IReadOnlyList<int> shape,
        int inputWidth,
        int inputHeight,
        IReadOnlyList<string> labels,
        float threshold = DefaultThreshold,
        HeatMapLayout layout = HeatMapLayout.Nchw)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputHeight);
        if (!(threshold is >= 0f and <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Threshold must be a probability in [0, 1].");
        }
        if (shape.Count != 4 || shape[0] != 1)
        {
            throw new ArgumentException(
                $"FOMO heat map must have shape [1, ...] of rank 4, got [{string.Join(", ", shape)}].", nameof(shape));
        }

        var (classes, gridH, gridW) = layout == HeatMapLayout.Nchw
            ? (shape[1], shape[2], shape[3])
            : (shape[3], shape[1], shape[2]);
        if (classes < 2 || gridH < 1 || gridW < 1)
        {
            throw new ArgumentException(
                $"FOMO heat map shape [{string.Join(", ", shape)}] ({layout}) needs at least 2 classes and a non-empty grid.",
                nameof(shape));
        }
        var expected = NamedTensor.ElementCountOf(shape);
        if (data.Length != expected)
        {
            throw new ArgumentException(
                $"FOMO heat map of shape [{string.Join(", ", shape)}] needs {expected} values, got {data.Length}.",
                nameof(data));
        }
        if (labels.Count != classes)
        {
            throw new ArgumentException(
                $"The heat map has {classes} classes but {labels.Count} labels were given.", nameof(labels));
        }

        var cellWidth = inputWidth / (float)gridW;
        var cellHeight = inputHeight / (float)gridH;
        var cells = gridH * gridW;
        var visited = new bool[cells];
        var stack = new Stack<int>();
        var detections = new List<Detection>();

        for (var c = 1; c < classes; c++)
        {
            Array.Clear(visited);
            for (var seed = 0; seed < cells; seed++)
            {
                if (visited[seed] || Probability(data, layout, classes, cells, c, seed) <= threshold)
                {
                    continue;
                }

                double weight = 0, sumX = 0, sumY = 0;
                float max = 0;
                var count = 0;
                visited[seed] = true;
                stack.Push(seed);
                while (stack.Count > 0)
                {
                    var cell = stack.Pop();
                    var p = Probability(data, layout, classes, cells, c, cell);
                    var (gy, gx) = Math.DivRem(cell, gridW);
                    weight += p;
                    sumX += p * (gx + 0.5) * cellWidth;
                    sumY += p * (gy + 0.5) * cellHeight;
                    max = Math.Max(max, p);
                    count++;

                    for (var ny = Math.Max(0, gy - 1); ny <= Math.Min(gridH - 1, gy + 1); ny++)
                    {
                        for (var nx = Math.Max(0, gx - 1); nx <= Math.Min(gridW - 1, gx + 1); nx++)
                        {
                            var neighbor = ny * gridW + nx;
                            if (!visited[neighbor] && Probability(data, layout, classes, cells, c, neighbor) > threshold)
                            {
                                visited[neighbor] = true;
                                stack.Push(neighbor);
                            }
                        }
                    }
                }

                detections.Add(new Detection(c, labels[c], (float)(sumX / weight), (float)(sumY / weight), max, count));
            }
        }

        // OrderByDescending is stable, so equal confidences keep class-then-raster order and output is deterministic.
        return detections.OrderByDescending(d => d.Confidence).ToList();
    }

    private static float Probability(ReadOnlySpan<float> data, HeatMapLayout layout, int classes, int cells, int c, int cell) =>
        layout == HeatMapLayout.Nchw ? data[c * cells + cell] : data[cell * classes + c];
}
