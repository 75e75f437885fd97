using Sciot.Core.Offloading;

namespace Sciot.Tests.Offloading;

public sealed class DeviceProfileTests : IDisposable
{
    private readonly string _tempDir = Directory.CreateTempSubdirectory("sciot-profile-").FullName;

    public void Dispose() => Directory.Delete(_tempDir, recursive: true);

    private string WriteCsv(string content)
    {
        var path = Path.Combine(_tempDir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Reference_csv_has_59_layers_summing_to_about_5_09_seconds()
    {
        var profile = DeviceProfile.FromLayerCsv(ReferenceLayers.LocateCsv());

        Assert.Equal("esp32s3_time_s", profile.Name);
        Assert.Null(profile.SlowdownFactor);
        Assert.Equal(59, profile.LayerSeconds!.Count);
        Assert.Equal(5.09, profile.LayerSeconds.Sum(), 0.005);
        Assert.Equal(0.647504, profile.EmulatedSeconds(0, measuredSeconds: 123));
        Assert.Equal(0.001760, profile.EmulatedSeconds(58, measuredSeconds: 0));
    }

    [Fact]
    public void Other_columns_can_be_loaded()
    {
        var profile = DeviceProfile.FromLayerCsv(ReferenceLayers.LocateCsv(), "edge_time_s");

        Assert.Equal("edge_time_s", profile.Name);
        Assert.Equal(0.0009484, profile.LayerSeconds![0]);
    }

    [Fact]
    public void Missing_column_error_names_file_and_column()
    {
        var path = ReferenceLayers.LocateCsv();

        var error = Assert.Throws<InvalidDataException>(() => DeviceProfile.FromLayerCsv(path, "rp2040_time_s"));

        Assert.Contains(path, error.Message);
        Assert.Contains("rp2040_time_s", error.Message);
    }

    [Fact]
    public void Missing_index_column_is_reported()
    {
        var path = WriteCsv("layer,esp32s3_time_s\n0,0.1\n");

        var error = Assert.Throws<InvalidDataException>(() => DeviceProfile.FromLayerCsv(path));

        Assert.Contains("'index'", error.Message);
    }

    [Fact]
    public void Missing_file_error_names_file_and_column()
    {
        var path = Path.Combine(_tempDir, "absent.csv");

        var error = Assert.Throws<FileNotFoundException>(() => DeviceProfile.FromLayerCsv(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("esp32s3_time_s", error.Message);
    }

    [Fact]
    public void Rows_may_come_in_any_order()
    {
        var path = WriteCsv("esp32s3_time_s,index\n0.3,2\n0.1,0\n0.2,1\n");

        Assert.Equal([0.1, 0.2, 0.3], DeviceProfile.FromLayerCsv(path).LayerSeconds!);
    }

    [Theory]
    [InlineData("index,esp32s3_time_s\n0,0.1\n2,0.3\n")]
    [InlineData("index,esp32s3_time_s\n0,0.1\n0,0.3\n")]
    [InlineData("index,esp32s3_time_s\n0,fast\n")]
    [InlineData("index,esp32s3_time_s\n0,-0.1\n")]
    [InlineData("index,esp32s3_time_s\n0,0.1,extra\n")]
    [InlineData("index,esp32s3_time_s\n")]
    [InlineData("")]
    public void Malformed_csv_is_rejected_with_the_file_name(string content)
    {
        var path = WriteCsv(content);

        var error = Assert.Throws<InvalidDataException>(() => DeviceProfile.FromLayerCsv(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Slowdown_scales_the_measurement()
    {
        var profile = DeviceProfile.Slowdown("pc-as-esp32", 40);

        Assert.Equal("pc-as-esp32", profile.Name);
        Assert.Null(profile.LayerSeconds);
        Assert.Equal(0.4, profile.EmulatedSeconds(3, 0.01), 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.NaN)]
    public void Slowdown_factor_must_be_positive(double factor)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceProfile.Slowdown("x", factor));
    }

    [Fact]
    public void Table_profile_rejects_layers_it_does_not_know()
    {
        var profile = DeviceProfile.FromLayerTimes("tiny", [0.1, 0.2]);

        Assert.Throws<ArgumentOutOfRangeException>(() => profile.EmulatedSeconds(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => profile.EmulatedSeconds(-1, 0));
    }
}
