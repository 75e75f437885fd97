using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Sciot.Client.Connectivity;
using Sciot.Client.Device;
using Sciot.Core.Models;

namespace Sciot.Client.Commands;

/// <summary>
/// <c>bench-server [--server URL] [--k N] [--requests N] [--concurrency N] [--warmup N] [--model NAME]</c>: what a
/// running server adds to the tail it computes. Tables and the summary go to stdout, progress to stderr, so the report
/// can be redirected alone. Exit codes: 2 bad arguments, 3 server unreachable or not ready, 1 anything else.
/// </summary>
public static class ServerBenchCommand
{
    private const int Failed = 1;
    private const int Unreachable = 3;

    /// <summary>Long enough for a request queued behind all the others on a loaded 2-core machine, short enough to notice a hung server.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A freshly started server reports Unhealthy until its edge calibration is done, which takes seconds.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The whole run stays bounded even when the server is far slower than the request counts suggest.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);

    public static async Task<int> RunAsync(string[] args)
    {
        if (ServerBenchOptions.Parse(args, Console.Out, Console.Error, out var exitCode) is not { } options)
        {
            return exitCode;
        }
        if (!BenchReport.IsRelease)
        {
            Console.Error.WriteLine($"bench-server: this is a {BenchReport.Configuration} build; use -c Release for figures worth reporting");
        }

        using var deadline = new CancellationTokenSource(RunTimeout);
        var cancellationToken = deadline.Token;
        using var http = CreateHttpClient(options);
        var api = new ServerApi(http, http);
        try
        {
            if (!await WaitUntilReadyAsync(http, cancellationToken))
            {
                Console.Error.WriteLine($"bench-server: the server at {options.Server} did not report healthy on /health within {ReadyTimeout.TotalSeconds:F0} s");
                return Unreachable;
            }
            // Asked before registering, so a misspelt name leaves no bench client assigned to some other model behind.
            if (!await ServesAsync(api, options.Model, cancellationToken))
            {
                return Fail($"the server at {options.Server} has no model '{options.Model}' (GET /api/models lists its catalog)");
            }
            var firstClient = ServerBenchmark.ClientIds(options)[0];
            var registration = await api.RegisterAsync(ServerBenchmark.Registration(firstClient, options.Model), cancellationToken);
            if (registration.ModelName != options.Model)
            {
                return Fail($"the server assigned {registration.ModelName} to {firstClient}, not '{options.Model}' ({registration.AssignmentReason})");
            }
            var paths = new DeviceOptions();
            var store = new ModelStore(ClientPaths.BundledModels(paths), ClientPaths.Cache(paths), NullLogger.Instance);
            var package = await store.AcquireAsync(registration.ModelName, registration.ModelVersion, api, cancellationToken);
            // The last layer has no tail: the server would only decode the prediction, which is not what is measured.
            var lastCut = package.Graph.LastLayer - 1;
            if (options.K > lastCut)
            {
                return Fail($"--k must be in 0..{lastCut} for {package.Name} (a cut with a tail on the server), got {options.K}");
            }

            using var benchmark = new ServerBenchmark(options, api, package, Console.Error);
            var result = await benchmark.RunAsync(cancellationToken);
            var report = new ServerBenchReport(Console.Out, options);
            report.WriteTables(result);
            report.WriteSummary(result);
            return 0;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"bench-server: cannot reach the server at {options.Server}: {e.Message}");
            Console.Error.WriteLine("start one with: dotnet run -c Release --project Sciot.Server");
            return Unreachable;
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            Console.Error.WriteLine($"bench-server: the server at {options.Server} did not answer within {RequestTimeout.TotalSeconds:F0} s");
            return Unreachable;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Console.Error.WriteLine($"bench-server: stopped after {RunTimeout.TotalMinutes:F0} min; use fewer --requests");
            return Failed;
        }
        catch (Exception e) when (e is ServerRejectedException or ModelLoadException or InvalidDataException)
        {
            Console.Error.WriteLine($"bench-server: {e.Message}");
            return Failed;
        }
    }

    /// <summary>
    /// One client for everything, with a connection per concurrent loop so requests never queue inside the client, and
    /// no proxy: an HTTP_PROXY in the environment must not take loopback requests anywhere else.
    /// </summary>
    private static HttpClient CreateHttpClient(ServerBenchOptions options) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, UseProxy = false })
        {
            BaseAddress = options.Server,
            Timeout = RequestTimeout,
        };

    private static async Task<bool> ServesAsync(ServerApi api, string model, CancellationToken cancellationToken)
    {
        try
        {
            await api.GetManifestAsync(model, cancellationToken);
            return true;
        }
        catch (ServerRejectedException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task<bool> WaitUntilReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var giveUp = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            using var response = await http.GetAsync(Extensions.HealthEndpointPath, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }
            if (DateTime.UtcNow >= giveUp)
            {
                return false;
            }
            Console.Error.WriteLine($"bench-server: {Extensions.HealthEndpointPath} answered {(int)response.StatusCode}; waiting for the server to be ready");
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"bench-server: {message}");
        return CommandLineParsing.BadArguments;
    }
}
