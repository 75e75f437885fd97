using System.Globalization;

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
                    if (!TryCount(args, ref i, minimum: 1, out var r, out error))
                    {
                        return false;
                    }
                    runs = r;
                    break;
                case "--warmup":
                    if (!TryCount(args, ref i, minimum: 0, out var w, out error))
                    {
                        return false;
                    }
                    warmup = w;
                    break;
                case "--model":
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        error = "--model needs a model name";
                        return false;
                    }
                    options = options with { Model = args[++i] };
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

    private static bool TryCount(IReadOnlyList<string> args, ref int i, int minimum, out int value, out string error)
    {
        var name = args[i];
        value = 0;
        error = "";
        if (i + 1 >= args.Count)
        {
            error = $"{name} needs a number";
            return false;
        }
        var text = args[++i];
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < minimum)
        {
            error = $"{name} must be a whole number >= {minimum}, got '{text}'";
            return false;
        }
        return true;
    }
}
