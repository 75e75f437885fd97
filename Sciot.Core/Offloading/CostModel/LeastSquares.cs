namespace Sciot.Core.Offloading.CostModel;

/// <summary>Ordinary least squares through the normal equations (a handful of columns, so Gaussian elimination is plenty).</summary>
public static class LeastSquares
{
    /// <param name="rows">One row of regressors per observation.</param>
    /// <param name="targets">The observed values.</param>
    /// <returns>Coefficients, or null when the columns are linearly dependent on these rows.</returns>
    public static double[]? Solve(IReadOnlyList<double[]> rows, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(targets);
        if (rows.Count == 0 || rows.Count != targets.Count)
        {
            throw new ArgumentException($"{rows.Count} rows for {targets.Count} targets", nameof(targets));
        }
        var n = rows[0].Length;
        // Columns are scaled to unit size first: MACs (1e6) and bytes (1e5) next to an intercept of 1 would
        // otherwise make the pivot test meaningless.
        var scale = new double[n];
        for (var c = 0; c < n; c++)
        {
            scale[c] = Math.Max(rows.Max(r => Math.Abs(r[c])), double.Epsilon);
        }
        var a = new double[n, n + 1];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var i = 0; i < n; i++)
            {
                var xi = rows[r][i] / scale[i];
                for (var j = 0; j < n; j++)
                {
                    a[i, j] += xi * rows[r][j] / scale[j];
                }
                a[i, n] += xi * targets[r];
            }
        }
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(a[r, col]));
            if (Math.Abs(a[pivot, col]) < 1e-10 * rows.Count)
            {
                return null;
            }
            for (var j = 0; j <= n; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            }
            for (var r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }
                var factor = a[r, col] / a[col, col];
                for (var j = col; j <= n; j++)
                {
                    a[r, j] -= factor * a[col, j];
                }
            }
        }
        return [.. Enumerable.Range(0, n).Select(i => a[i, n] / a[i, i] / scale[i])];
    }
}
