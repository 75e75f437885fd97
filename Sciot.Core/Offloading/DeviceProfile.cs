using System.Globalization;

namespace Sciot.Core.Offloading;

/// <summary>
/// Makes a fast host report the layer times of a small device, so split decisions taken in a lab run match those on
/// real hardware: either every measured time is scaled by a slowdown factor, or a per-layer table of times
/// measured on the device replaces the measurement altogether.
/// </summary>
public sealed class DeviceProfile
{
    public const string DefaultTimeColumn = "esp32s3_time_s";
    public const string IndexColumn = "index";

    private readonly double[]? _layerSeconds;

    private DeviceProfile(string name, double? slowdownFactor, double[]? layerSeconds)
    {
        Name = name;
        SlowdownFactor = slowdownFactor;
        _layerSeconds = layerSeconds;
    }

    public string Name { get; }

    /// <summary>Set for a slowdown profile, null for a table profile.</summary>
    public double? SlowdownFactor { get; }

    /// <summary>Set for a table profile (seconds by layer index), null for a slowdown profile.</summary>
    public IReadOnlyList<double>? LayerSeconds => _layerSeconds;

    public static DeviceProfile Slowdown(string name, double factor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(factor) || factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "must be positive and finite");
        }
        return new DeviceProfile(name, factor, null);
    }

    public static DeviceProfile FromLayerTimes(string name, IEnumerable<double> secondsByLayer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var table = secondsByLayer.ToArray();
        if (table.Length == 0)
        {
            throw new ArgumentException("must hold at least one layer", nameof(secondsByLayer));
        }
        for (var i = 0; i < table.Length; i++)
        {
            if (!double.IsFinite(table[i]) || table[i] < 0)
            {
                throw new ArgumentException($"layer {i} time {table[i]} is not a finite non-negative number", nameof(secondsByLayer));
            }
        }
        return new DeviceProfile(name, null, table);
    }

    /// <summary>
    /// Loads a table profile from a per-layer CSV such as <c>models/fomo_96x96/reference_layers.csv</c>: a header row
    /// naming an <c>index</c> column and <paramref name="column"/>, then one row per layer. Rows may come in any
    /// order but the indices must cover 0..n-1 exactly once. The profile is named after the column.
    /// Fields are split on commas; quoted fields are not supported.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A column is missing or a row is malformed; the message names file, line and column.</exception>
    public static DeviceProfile FromLayerCsv(string path, string column = DefaultTimeColumn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Device profile CSV '{path}' (column '{column}') does not exist.", path);
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"{path}: empty file, expected a header with columns '{IndexColumn}' and '{column}'.");
        }
        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        var indexAt = Array.IndexOf(header, IndexColumn);
        var timeAt = Array.IndexOf(header, column);
        if (indexAt < 0 || timeAt < 0)
        {
            var missing = indexAt < 0 ? IndexColumn : column;
            throw new InvalidDataException(
                $"{path}: no column '{missing}' in header '{lines[0]}' (needed: '{IndexColumn}' and '{column}').");
        }

        var byIndex = new SortedDictionary<int, double>();
        for (var line = 1; line < lines.Length; line++)
        {
            if (string.IsNullOrWhiteSpace(lines[line]))
            {
                continue;
            }
            var cells = lines[line].Split(',');
            var where = $"{path}:{line + 1}";
            if (cells.Length != header.Length)
            {
                throw new InvalidDataException($"{where}: {cells.Length} fields but the header has {header.Length}.");
            }
            if (!int.TryParse(cells[indexAt], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0)
            {
                throw new InvalidDataException($"{where}: column '{IndexColumn}' value '{cells[indexAt]}' is not a layer index.");
            }
            if (!double.TryParse(cells[timeAt], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                || !double.IsFinite(seconds) || seconds < 0)
            {
                throw new InvalidDataException($"{where}: column '{column}' value '{cells[timeAt]}' is not a non-negative number of seconds.");
            }
            if (!byIndex.TryAdd(index, seconds))
            {
                throw new InvalidDataException($"{where}: layer index {index} appears twice.");
            }
        }
        if (byIndex.Count == 0)
        {
            throw new InvalidDataException($"{path}: no layer rows below the header.");
        }
        if (byIndex.Keys.Last() != byIndex.Count - 1)
        {
            throw new InvalidDataException($"{path}: layer indices must run 0..{byIndex.Count - 1} without gaps.");
        }
        return new DeviceProfile(column, null, [.. byIndex.Values]);
    }

    /// <summary>Time the emulated device would have needed for <paramref name="layer"/>.</summary>
    /// <param name="measuredSeconds">Time measured on this host; a table profile ignores it.</param>
    public double EmulatedSeconds(int layer, double measuredSeconds)
    {
        if (_layerSeconds is not null)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(layer);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, _layerSeconds.Length);
            return _layerSeconds[layer];
        }
        if (!double.IsFinite(measuredSeconds) || measuredSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(measuredSeconds), measuredSeconds, "must be finite and non-negative");
        }
        return measuredSeconds * SlowdownFactor!.Value;
    }
}
