using System.CommandLine;

namespace Sciot.Client.Commands;

/// <summary>The <c>bench</c> command line. <c>--quick</c> only changes the defaults, so explicit counts still win.</summary>
public sealed record BenchOptions
{
    public int Runs { get; init; } = 200;
    public int Warmup { get; init; } = 20;
    public string? Model { get; init; }
    public bool Quick { get; init; }

    /// <summary>Session creation takes milliseconds and is timed a few times only; one is enough for a smoke run.</summary>
    public int CreationRepeats => Quick ? 1 : 5;

    /// <returns>The options, or null with the exit code when the command line was wrong or asked for help.</returns>
    public static BenchOptions? Parse(string[] args, TextWriter output, TextWriter error, out int exitCode)
    {
        var runs = CommandLineParsing.Count("--runs", "timed runs per series (default 200, 20 with --quick)", minimum: 1);
        var warmup = CommandLineParsing.Count("--warmup", "untimed runs first (default 20, 3 with --quick)", minimum: 0);
        var model = new Option<string?>("--model") { Description = "one bundled model instead of all" };
        var quick = new Option<bool>("--quick") { Description = "a smoke run: fewer runs and repeats" };
        var command = new RootCommand("Split-execution overhead and session costs of the bundled models") { runs, warmup, model, quick };
        if (CommandLineParsing.Parse(command, "bench", args, output, error, out exitCode) is not { } parsed)
        {
            return null;
        }
        var isQuick = parsed.GetValue(quick);
        return new BenchOptions
        {
            Quick = isQuick,
            Model = parsed.GetValue(model),
            Runs = parsed.GetValue(runs) ?? (isQuick ? 20 : 200),
            Warmup = parsed.GetValue(warmup) ?? (isQuick ? 3 : 20),
        };
    }
}
