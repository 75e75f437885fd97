using System.Globalization;

namespace Sciot.Tests.Offloading;

/// <summary>
/// The shipped ESP32-S3 per-layer figures, read with a parser of its own so planner tests do not rely on the
/// production CSV loader they would otherwise be checking.
/// </summary>
internal sealed record ReferenceLayers(double[] DeviceSeconds, double[] EdgeSeconds, long[] LiveBytes)
{
    public const string RelativePath = "models/fomo_96x96/reference_layers.csv";

    /// <summary>Walks up from the test binaries because the file lives in the repository, not the build output.</summary>
    public static string LocateCsv()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{RelativePath} not found above {AppContext.BaseDirectory}");
    }

    public static ReferenceLayers Load()
    {
        var lines = File.ReadAllLines(LocateCsv()).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();

        double[] Doubles(string column)
        {
            var at = Array.IndexOf(header, column);
            return rows.Select(r => double.Parse(r[at], CultureInfo.InvariantCulture)).ToArray();
        }

        var bytesAt = Array.IndexOf(header, "live_bytes_f32");
        return new ReferenceLayers(
            Doubles("esp32s3_time_s"),
            Doubles("edge_time_s"),
            rows.Select(r => long.Parse(r[bytesAt], CultureInfo.InvariantCulture)).ToArray());
    }
}
