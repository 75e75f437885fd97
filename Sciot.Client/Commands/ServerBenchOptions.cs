namespace Sciot.Client.Commands;

/// <summary>The <c>bench-server</c> command line. Every count has a ceiling so a typo cannot start an endless load.</summary>
public sealed record ServerBenchOptions
{
    public const string Usage =
        "usage: bench-server [--server http://localhost:8000] [--k 20] [--requests 400] [--concurrency 64] [--warmup 2000] [--model fomo_96x96]";

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

    public static bool TryParse(IReadOnlyList<string> args, out ServerBenchOptions options, out string error)
    {
        options = new ServerBenchOptions();
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            int count;
            switch (args[i])
            {
                case "--server":
                    if (!BenchArguments.TryText(args, ref i, "a URL", out var text, out error) || !TryServer(text, out var server, out error))
                    {
                        return false;
                    }
                    options = options with { Server = server };
                    break;
                case "--k":
                    // The upper bound depends on the model the server assigns; the command checks it once it knows.
                    if (!BenchArguments.TryCount(args, ref i, minimum: 0, out count, out error))
                    {
                        return false;
                    }
                    options = options with { K = count };
                    break;
                case "--requests":
                    if (!BenchArguments.TryCount(args, ref i, minimum: 1, out count, out error, MaxRequests))
                    {
                        return false;
                    }
                    options = options with { Requests = count };
                    break;
                case "--concurrency":
                    if (!BenchArguments.TryCount(args, ref i, minimum: 1, out count, out error, MaxConcurrency))
                    {
                        return false;
                    }
                    options = options with { Concurrency = count };
                    break;
                case "--warmup":
                    if (!BenchArguments.TryCount(args, ref i, minimum: 0, out count, out error, MaxRequests))
                    {
                        return false;
                    }
                    options = options with { Warmup = count };
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
        return true;
    }

    /// <summary>
    /// Loopback only: the figures are meant to show the server's own overhead, which a real network would bury, and
    /// a load generator pointed at someone else's machine is not what this command is for.
    /// </summary>
    private static bool TryServer(string text, out Uri server, out string error)
    {
        error = "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out server!) || server.Scheme is not ("http" or "https"))
        {
            error = $"--server must be an http:// or https:// URL, got '{text}'";
            return false;
        }
        if (!server.IsLoopback)
        {
            error = $"--server must be a loopback address (localhost, 127.0.0.1, [::1]); got '{server.Host}'";
            return false;
        }
        return true;
    }
}
