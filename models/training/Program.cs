using System.CommandLine;
using Sciot.Core.Models;
using Sciot.Core.Models.Building;
using Sciot.Training;

// The native library must be loadable before the first TorchSharp call, so this runs before anything touches torch.
Console.WriteLine(LibTorchSharpPatch.Apply(AppContext.BaseDirectory));
// libtorch's OpenMP threads spin at every barrier by default; on 2 shared cores (training runs under nice) that
// tripled the step time. Read by libgomp when it loads, i.e. at the first torch call below.
// Environment.SetEnvironmentVariable only changes .NET's copy of the environment, so this goes through libc.
NativeEnvironment.Set("OMP_WAIT_POLICY", "PASSIVE");

var model = new Option<string>("--model") { Description = $"{string.Join(" or ", ShippedModels.Names)}", Required = true };
model.AcceptOnlyFromAmong([.. ShippedModels.Names]);
var steps = new Option<int>("--steps") { Description = "optimizer steps (default: per model)" };
var batch = new Option<int>("--batch") { Description = "frames per step", DefaultValueFactory = _ => 32 };
var rate = new Option<double>("--lr") { Description = "peak learning rate of the one-cycle schedule", DefaultValueFactory = _ => 0.01 };
var weight = new Option<double>("--object-weight") { Description = "loss weight of object cells over background cells", DefaultValueFactory = _ => 100 };
var seed = new Option<int>("--seed") { Description = "dataset seed of the training frames (default: per model)" };
var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => 2 };
var evalImages = new Option<int>("--eval-images") { Description = "held-out frames measured for the manifest", DefaultValueFactory = _ => 1000 };
var evalSeed = new Option<int>("--eval-seed") { Description = "dataset seed of the held-out frames", DefaultValueFactory = _ => 9001 };
var resume = new Option<bool>("--resume") { Description = "continue from the committed weights (a new phase on frames of a new seed)" };
var remeasure = new Option<bool>("--remeasure") { Description = "no training: measure the committed weights again and update the record" };
var folder = new Option<string?>("--models") { Description = "models folder (default: the nearest models/ above this tool)" };

var root = new RootCommand("Trains a shipped Sciot model and writes models/<name>/weights.safetensors, training.json, model.onnx, model.json")
{
    model, steps, batch, rate, weight, seed, threads, evalImages, evalSeed, folder, resume, remeasure,
};
root.SetAction(parse =>
{
    var name = parse.GetValue(model)!;
    var models = parse.GetValue(folder) ?? ModelCatalog.FindFolderAbove(AppContext.BaseDirectory, Environment.CurrentDirectory)
        ?? throw new DirectoryNotFoundException("no models/ folder above the tool or the working directory; pass --models");
    var defaults = TrainingDefaults.For(name);
    var options = new TrainingOptions(name, models,
        parse.GetValue(steps) is > 0 and var s ? s : defaults.Steps,
        parse.GetValue(batch), parse.GetValue(rate), parse.GetValue(weight),
        parse.GetValue(seed) is > 0 and var d ? d : defaults.DatasetSeed,
        parse.GetValue(threads), parse.GetValue(evalImages), parse.GetValue(evalSeed), parse.GetValue(resume));
    return parse.GetValue(remeasure) ? Trainer.Remeasure(options) : Trainer.Run(options);
});
return root.Parse(args).Invoke();
