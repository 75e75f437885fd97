using Sciot.Core.Models;
using Sciot.Core.Models.Building;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Models;

public sealed class ModelCatalogTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("sciot-models-").FullName;

    [Theory]
    [InlineData(ShippedModels.Fomo)]
    [InlineData(ShippedModels.MobileNetLite)]
    public void Shipped_model_files_regenerate_byte_identically(string name)
    {
        var (onnx, manifest) = ShippedModels.Create(RepoPaths.Models, name);
        var folder = Path.Combine(RepoPaths.Models, name);
        Assert.Equal(ShippedModels.Sha256Hex(File.ReadAllBytes(Path.Combine(folder, ModelPackage.OnnxFileName))), ShippedModels.Sha256Hex(onnx));
        Assert.Equal(File.ReadAllText(Path.Combine(folder, ModelPackage.ManifestFileName)), ShippedModels.SerializeManifest(manifest));
        var (again, _) = ShippedModels.Create(RepoPaths.Models, name);
        Assert.Equal(onnx, again);
    }

    [Fact]
    public void Catalog_loads_both_models_with_manifest_metadata()
    {
        var catalog = ModelCatalog.Load(RepoPaths.Models);
        Assert.Equal([ShippedModels.Fomo, ShippedModels.MobileNetLite], catalog.Names);
        var fomo = catalog.Get(ShippedModels.Fomo).Manifest;
        Assert.Equal("input", fomo.Input.Name);
        Assert.Equal([1, 3, 96, 96], fomo.Input.Shape);
        Assert.Equal("fomo", fomo.Output.Kind);
        Assert.Equal([1, 3, 12, 12], fomo.Output.Shape);
        Assert.StartsWith($"trained on {Sciot.Core.Imaging.SyntheticSceneGenerator.DatasetVersion}", fomo.Weights);
        Assert.Equal(fomo.Training!.Accuracy.F1, fomo.Accuracy);
        Assert.Equal(ShippedModels.DemoClasses.Skip(1), fomo.Training.Accuracy.PerClass.Select(c => c.Name));
        Assert.Equal(64, fomo.Version.Length);
        var onnx = Onnx.ModelProto.Parser.ParseFrom(catalog.Get(ShippedModels.Fomo).OnnxBytes);
        Assert.Equal(8, onnx.IrVersion);
        Assert.Equal(17, onnx.OpsetImport.Single().Version);
        Assert.Throws<KeyNotFoundException>(() => catalog.Get("nope"));
    }

    [Fact]
    public void Missing_onnx_file_is_named()
    {
        var folder = CopyModel();
        File.Delete(Path.Combine(folder, ModelPackage.OnnxFileName));
        var e = Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_temp));
        Assert.Equal(Path.Combine(folder, ModelPackage.OnnxFileName), e.FilePath);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Corrupt_onnx_file_fails_the_hash_check()
    {
        var folder = CopyModel();
        var path = Path.Combine(folder, ModelPackage.OnnxFileName);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_temp));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("does not match manifest version", e.Message);
    }

    [Fact]
    public void Corrupt_manifest_is_named_with_the_json_problem()
    {
        var folder = CopyModel();
        var path = Path.Combine(folder, ModelPackage.ManifestFileName);
        File.WriteAllText(path, "{ \"name\": ");
        var e = Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(_temp));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("invalid manifest JSON", e.Message);
    }

    [Fact]
    public void Missing_models_folder_is_named()
    {
        var missing = Path.Combine(_temp, "absent");
        var e = Assert.Throws<ModelLoadException>(() => ModelCatalog.Load(missing));
        Assert.Equal(missing, e.FilePath);
    }

    private string CopyModel()
    {
        var source = Path.Combine(RepoPaths.Models, ShippedModels.MobileNetLite);
        var target = Directory.CreateDirectory(Path.Combine(_temp, ShippedModels.MobileNetLite)).FullName;
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        return target;
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);
}
