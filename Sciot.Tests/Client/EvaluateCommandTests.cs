using System.Text.Json;
using Sciot.Client.Commands;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Client;

public sealed class EvaluateCommandTests
{
    [Theory]
    [InlineData("--images", "0")]
    [InlineData("--images", "many")]
    [InlineData("--split", "59")]
    [InlineData("--split", "some")]
    [InlineData("--model", "nope")]
    [InlineData("--bogus", "1")]
    public void Bad_arguments_exit_2_with_a_message(string option, string value)
    {
        var args = option == "--model" ? new[] { option, value } : new[] { "--model", "fomo_96x96", option, value };
        var (code, _, error) = Run([.. args, "--models", RepoPaths.Models]);
        Assert.Equal(EvaluateCommand.BadArguments, code);
        Assert.StartsWith("evaluate: ", error);
    }

    [Fact]
    public void Missing_model_exits_2()
    {
        Assert.Equal(EvaluateCommand.BadArguments, Run(["--images", "5"]).Code);
    }

    [Fact]
    public void Split_run_prints_the_table_and_a_summary_line_matching_it()
    {
        var (code, output, _) = Run(["--model", "mobilenet_lite", "--images", "40", "--seed", "77", "--split", "20", "--models", RepoPaths.Models]);

        Assert.Equal(0, code);
        Assert.Contains("circle", output);
        Assert.Contains("same as whole model", output);
        var summary = JsonDocument.Parse(output.Split('\n').Single(l => l.StartsWith("summary ")).Substring(8)).RootElement;
        Assert.Equal(40, summary.GetProperty("images").GetInt32());
        Assert.Equal(77, summary.GetProperty("seed").GetInt32());
        // The model card's figures (README): counted from the graph by ModelComplexity, as the device cost model counts MACs.
        Assert.Equal(13_043, summary.GetProperty("parameters").GetInt64());
        Assert.Equal(3_409_920, summary.GetProperty("macs").GetInt64());
        Assert.Equal(new FileInfo(Path.Combine(RepoPaths.Models, "mobilenet_lite", "model.onnx")).Length, summary.GetProperty("onnx_bytes").GetInt64());
        Assert.Contains("mobilenet_lite: 38 layers, 13,043 parameters, 3,409,920 MACs per frame", output);
        Assert.Equal(0, summary.GetProperty("cuts_differing_from_whole").GetInt32());
        Assert.Equal(summary.GetProperty("f1").GetDouble(), summary.GetProperty("min_cut_f1").GetDouble());
        var overall = output.Split('\n').First(l => l.StartsWith("overall ")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(summary.GetProperty("f1").GetDouble(), double.Parse(overall[^1], System.Globalization.CultureInfo.InvariantCulture), 4);
    }

    [Fact]
    public void Draw_writes_the_first_eight_scenes_with_wrong_and_missed_marked()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sciot-evaluate-{Guid.NewGuid():N}.png");
        try
        {
            // Seed 4242's first eight scenes give mobilenet_lite three wrong detections and one missed square (the README picture).
            var (code, output, _) = Run(["--model", "mobilenet_lite", "--images", "8", "--seed", "4242", "--draw", path, "--models", RepoPaths.Models]);

            Assert.Equal(0, code);
            Assert.Contains($"picture: {path}", output);
            // 4 x 2 scenes of 96 px x 4 with 12 px gaps, a 40 px title, 22 px captions and a 40 px legend.
            using var bitmap = PngAssert.DecodesAs(path, 4 * (384 + 12) + 12, 40 + 2 * (384 + 22 + 12) + 12 + 40);
            Assert.True(PngAssert.RedPixels(bitmap) > 0, "no wrong detection drawn");
            var orange = 0;
            for (var y = 0; y < bitmap.Height - 40; y++)
            {
                for (var x = 0; x < bitmap.Width; x++)
                {
                    orange += bitmap.GetPixel(x, y) == new SkiaSharp.SKColor(255, 150, 30) ? 1 : 0;
                }
            }
            Assert.True(orange > 0, "no missed object drawn");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (int Code, string Output, string Error) Run(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = EvaluateCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
