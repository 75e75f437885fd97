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
        var result = await benchmark.RunAsync(CancellationToken.None);

        // Sequential: warm-up + timed; concurrent: one warm-up per client, then 5 runs of Requests.
        Assert.Equal(2 + 12 + 16 + 5 * 12, benchmark.ResultsPosted);
        var stored = (await http.ClientsAsync()).Sum(c => c.GetProperty("inference_count").GetInt64());
        Assert.Equal(benchmark.ResultsPosted, stored);
        // The transport floor carried the whole payload every time: warm-up + timed in turn, then 5 runs of Requests.
        Assert.Equal(2 + 12 + 5 * 12, benchmark.FloorMessagesReceived);
        Assert.Equal(benchmark.FloorMessagesReceived * result.PayloadBytes, benchmark.FloorBytesReceived);
    }

    [Fact]
    public void The_floor_bounds_follow_from_the_tail_and_floor_costs()
    {
        // Tail: 0.1 ms p50; 1000 runs in 0.1 s on 2 cores = 0.2 core-ms each. Floor: 0.2 ms p50; 1000 messages in
        // 0.125 s on 1.6 cores = 0.2 core-ms each. A request then costs at least 0.4 core-ms, half of it the tail.
        var result = Result(tailMs: 0.1, floorMs: 0.2,
            inProcess: new ConcurrentRun(64, Enumerable.Repeat(1.0, 1000).ToArray(), TimeSpan.FromSeconds(0.1), 2.0),
            floor: new ConcurrentRun(64, Enumerable.Repeat(1.0, 1000).ToArray(), TimeSpan.FromSeconds(0.125), 1.6));

        Assert.Equal(3.0, result.FloorLatencyRatio, 9);
        Assert.Equal(0.2, result.TailCpuMs, 9);
        Assert.Equal(0.2, result.FloorCpuMs, 9);
        Assert.Equal(0.5, result.ThroughputCeiling, 9);
    }

    private static ServerBenchResult Result(double tailMs, double floorMs, ConcurrentRun inProcess, ConcurrentRun floor)
    {
        var any = new TimingSummary(1, 1, 1);
        var load = new ConcurrentSeries([inProcess]);
        return new ServerBenchResult("fomo_96x96", 20, "block_2_depthwise", 2, 129_024, 130_000, 1000, 0, null,
            any, new TimingSummary(tailMs, tailMs, tailMs), any, any, any, any, any, load, load,
            new TimingSummary(floorMs, floorMs, floorMs), new ConcurrentSeries([floor]), TimeSpan.Zero);
    }
}
