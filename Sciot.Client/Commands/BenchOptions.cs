namespace Sciot.Client.Commands;

/// <summary>The <c>bench</c> command line. <c>--quick</c> only changes the defaults, so explicit counts still win.</summary>
public sealed record BenchOptions
{
    public const string Usage = "usage: bench [--runs N] [--warmup N] [--model NAME] [--quick]";

    public int Runs { get; init; } = 200;
    public int Warmup { get; init; } = 20;
    public string? Model { get; init; }
    public bool Quick { get; init; }

    /// <summary>Session creation takes milliseconds and is timed a few times only; one is enough for a smoke run.</summary>
    public int CreationRepeats => Quick ? 1 : 5;

    public static bool TryParse(IReadOnlyList<string> args, out BenchOptions options, out string error)
    {
        options = new BenchOptions();
        error = "";
        int? runs = null;
        int? warmup = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    options = options with { Quick = true };
                    break;
                case "--runs":
                    if (!BenchArguments.TryCount(args, ref i, minimum: 1, out var r, out error))
                    {
                        return false;
                    }
                    runs = r;
                    break;
                case "--warmup":
                    if (!BenchArguments.TryCount(args, ref i, minimum: 0, out var w, out error))
                    {
                        return false;
                    }
                    warmup = w;
                    break;
                case "--model":
                    if (!BenchArguments.TryText(args, ref i, "a model name", out var model, out error))
                    {
                        return false;
                    }
                    options = options with { Model = model };
                    break;
                default:
                    error = $"unknown argument '{args[i]}'";
                    return false;
            }
        }
        options = options with
        {
            Runs = runs ?? (options.Quick ? 20 : options.Runs),
            Warmup = warmup ?? (options.Quick ? 3 : options.Warmup),
        };
        return true;
    }
}
