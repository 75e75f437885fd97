using Sciot.Core.Models;
using Sciot.Core.Offloading.CostModel;
using Sciot.Tests.TestSupport;
using Xunit.Abstractions;

namespace Sciot.Tests.Offloading.CostModel;

public class LayerCostModelTests(ITestOutputHelper output)
{
    private static ReferenceLayers Reference => ReferenceLayers.Load();

    [Fact]
    public void Fit_error_on_the_59_reference_layers_is_what_the_README_reports()
    {
        var error = Esp32S3CostModel.Evaluate(RepoPaths.Models);
        output.WriteLine(error.ToString());
        Esp32S3CostModel.Fit(RepoPaths.Models).TypeFits.ToList().ForEach(f => output.WriteLine(f.ToString()));

        // Recomputed here from the predictions and the CSV, independently of Evaluate's arithmetic.
        var predicted = Esp32S3CostModel.Fit(RepoPaths.Models).Predict(ModelPackage.Load(Path.Combine(RepoPaths.Models, "fomo_96x96")).Graph);
        var measured = Reference.DeviceSeconds;
        var mape = predicted.Select((p, i) => Math.Abs(p - measured[i]) / measured[i]).Average();
        Assert.Equal(59, error.Layers);
        Assert.Equal(mape, error.MeanAbsolutePercentError, 12);
        Assert.Equal(measured.Sum(), error.MeasuredTotalSeconds, 9);
        Assert.Equal((predicted.Sum() - measured.Sum()) / measured.Sum(), error.TotalRelativeError, 12);
        // The figures the README states (3.8 % mean, 1.7 % median, 6.6 % leave-one-out, +1.4 % whole model).
        Assert.Equal(0.038, Math.Round(error.MeanAbsolutePercentError, 3));
        Assert.Equal(0.017, Math.Round(error.MedianAbsolutePercentError, 3));
        Assert.Equal(0.066, Math.Round(error.LeaveOneOutMeanAbsolutePercentError, 3));
        Assert.Equal(0.014, Math.Round(error.TotalRelativeError, 3));
    }

    [Fact]
    public void A_type_with_one_measured_layer_is_reproduced_exactly()
    {
        // Softmax appears once: its single-term fit passes through that one point.
        var graph = ModelPackage.Load(Path.Combine(RepoPaths.Models, "fomo_96x96")).Graph;
        var model = Esp32S3CostModel.Fit(RepoPaths.Models);
        var softmax = LayerFeatureExtractor.Extract(graph).Single(l => l.Type == "Softmax");

        Assert.Equal(1, model.FitFor("Softmax").Samples);
        Assert.Equal(Reference.DeviceSeconds[softmax.Index], model.Predict(softmax), 12);
    }

    [Fact]
    public void Mobilenet_lite_gets_a_time_for_every_layer_from_the_layer_types_of_fomo()
    {
        var model = Esp32S3CostModel.Fit(RepoPaths.Models);
        var lite = ModelPackage.Load(Path.Combine(RepoPaths.Models, "mobilenet_lite")).Graph;
        var features = LayerFeatureExtractor.Extract(lite);

        var seconds = model.Predict(lite);

        Assert.Equal(38, seconds.Length);
        for (var i = 0; i < seconds.Length; i++)
        {
            Assert.Equal(model.FitFor(features[i].Type).Predict(features[i]), seconds[i], 15);
            Assert.True(seconds[i] > 0, $"layer {i} {features[i].Name} predicted {seconds[i]}");
        }
        // The first convolution: 3x3x3 kernels to 8 channels at 48x48 = 497,664 MACs at the fitted Conv2D rate.
        Assert.Equal(48 * 48 * 8 * 27, features[0].Macs);
        Assert.Equal(model.FitFor("Conv2D").Coefficients[0] * 497_664, seconds[0], 12);
    }

    [Fact]
    public void Macs_of_a_depthwise_convolution_count_one_kernel_per_output()
    {
        var graph = ModelPackage.Load(Path.Combine(RepoPaths.Models, "fomo_96x96")).Graph;
        var depthwise = LayerFeatureExtractor.Extract(graph).Single(l => l.Index == 3);

        // expanded_conv_depthwise: 48x48x16 outputs, one 3x3 kernel each.
        Assert.Equal("DepthwiseConv2D", depthwise.Type);
        Assert.Equal(48 * 48 * 16 * 9, depthwise.Macs);
    }

    [Fact]
    public void Fit_rejects_mismatched_or_negative_times()
    {
        LayerFeatures[] layers = [new(0, "a", "Conv2D", 10, 10)];
        Assert.Throws<ArgumentException>(() => LayerCostModel.Fit(layers, [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => LayerCostModel.Fit(layers, [-1.0]));
    }
}
