using Sciot.Client.Commands;
using Sciot.Client.Connectivity;
using Sciot.Core.Models;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Client;

/// <summary>bench-server times work, not replays: every result it posts must be a new one the server runs and stores.</summary>
public sealed class ServerBenchmarkTests
{
    [Fact]
    public async Task Every_posted_result_is_stored_by_the_server_none_answered_as_a_retry()
    {
        await using var factory = new SciotServerFactory();
        await factory.WaitForCalibrationAsync();
        using var http = factory.CreateClient();
        var api = new ServerApi(http, http);
        var options = new ServerBenchOptions { K = 20, Requests = 12, Warmup = 2, Concurrency = 16, Model = "fomo_96x96" };
        var first = ServerBenchmark.ClientIds(options)[0];
        await api.RegisterAsync(ServerBenchmark.Registration(first, options.Model), CancellationToken.None);
        var package = ModelPackage.Load(Path.Combine(RepoPaths.Models, options.Model));

        using var benchmark = new ServerBenchmark(options, api, package, TextWriter.Null);
        await benchmark.RunAsync(CancellationToken.None);

        // Sequential: warm-up + timed; concurrent: one warm-up per client, then 5 runs of Requests.
        Assert.Equal(2 + 12 + 16 + 5 * 12, benchmark.ResultsPosted);
        var stored = (await http.ClientsAsync()).Sum(c => c.GetProperty("inference_count").GetInt64());
        Assert.Equal(benchmark.ResultsPosted, stored);
    }
}
