using System.CommandLine;

namespace Sciot.Client.Commands;

/// <summary>The <c>bench-server</c> command line. Every count has a ceiling so a typo cannot start an endless load.</summary>
public sealed record ServerBenchOptions
{
    public const int MaxRequests = 100_000;
    public const int MaxConcurrency = 1024;

    public Uri Server { get; init; } = new("http://localhost:8000");
    public int K { get; init; } = 20;
    public int Requests { get; init; } = 400;
    public int Concurrency { get; init; } = 64;
    /// <summary>
    /// Far more than <c>bench</c>'s 20: a freshly started server keeps getting faster over its first thousands of
    /// requests (tiered JIT, GC heap tuning). Measured here: after 200 warm-up requests the first run's request p50
    /// was 1.3-1.9x that of a second run against the same server; after 2000 it was within the run-to-run noise.
    /// </summary>
    public int Warmup { get; init; } = 2000;
    public string Model { get; init; } = "fomo_96x96";

    /// <returns>The options, or null with the exit code when the command line was wrong or asked for help.</returns>
    public static ServerBenchOptions? Parse(string[] args, TextWriter output, TextWriter error, out int exitCode)
    {
        var defaults = new ServerBenchOptions();
        var server = CommandLineParsing.Url("--server", $"the server, on loopback (default {defaults.Server})");
        // The upper bound of --k depends on the model the server assigns; the command checks it once it knows.
        var k = CommandLineParsing.Count("--k", $"the cut: the device runs layers 0..k (default {defaults.K})", minimum: 0);
        var requests = CommandLineParsing.Count("--requests", $"timed requests per series (default {defaults.Requests})", minimum: 1, MaxRequests);
        var concurrency = CommandLineParsing.Count("--concurrency", $"concurrent client loops (default {defaults.Concurrency})", minimum: 1, MaxConcurrency);
        var warmup = CommandLineParsing.Count("--warmup", $"untimed requests first (default {defaults.Warmup})", minimum: 0, MaxRequests);
        var model = new Option<string?>("--model") { Description = $"the model to bench (default {defaults.Model})" };
        var command = new RootCommand("What a running server adds to the tail it computes") { server, k, requests, concurrency, warmup, model };
        if (CommandLineParsing.Parse(command, "bench-server", args, output, error, out exitCode) is not { } parsed)
        {
            return null;
        }
        // Loopback only: the figures are meant to show the server's own overhead, which a real network would bury, and
        // a load generator pointed at someone else's machine is not what this command is for.
        if (parsed.GetValue(server) is { IsLoopback: false } remote)
        {
            error.WriteLine($"bench-server: --server must be a loopback address (localhost, 127.0.0.1, [::1]); got '{remote.Host}'");
            exitCode = CommandLineParsing.BadArguments;
            return null;
        }
        return new ServerBenchOptions
        {
            Server = parsed.GetValue(server) ?? defaults.Server,
            K = parsed.GetValue(k) ?? defaults.K,
            Requests = parsed.GetValue(requests) ?? defaults.Requests,
            Concurrency = parsed.GetValue(concurrency) ?? defaults.Concurrency,
            Warmup = parsed.GetValue(warmup) ?? defaults.Warmup,
            Model = parsed.GetValue(model) ?? defaults.Model,
        };
    }
}
