using Microsoft.AspNetCore.Hosting;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Sciot.Client.Telemetry;
using Sciot.Server.Telemetry;
using Sciot.Tests.TestSupport;
using Sciot.Core.Telemetry;

namespace Sciot.Tests.Telemetry;

public sealed class TracePropagationTests
{
    [Fact]
    public async Task A_client_cycle_is_the_ancestor_of_the_server_spans_it_causes()
    {
        var serverSpans = new List<Activity>();
        using var server = new SciotServerFactory(configure: b => b.ConfigureServices(s => s.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(serverSpans))));
        var address = server.StartOnRealPort();
        var clientSpans = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder().AddSource(ClientTelemetry.Name).AddInMemoryExporter(clientSpans).Build())
        {
            // A real socket handler, so the W3C traceparent header is written as it is between processes.
            using var http = new HttpClient { BaseAddress = address };
            using var device = TestDevices.Create("dev_trace", http);
            await device.StartAsync(CancellationToken.None);
            await device.RunCycleAsync(CancellationToken.None);
            await device.RunCycleAsync(CancellationToken.None);
        }
        server.Dispose();

        // Activity sources are process-wide and other test classes run meanwhile: keep this device's spans only.
        static bool Ours(Activity a) => (a.GetTagItem(SciotTags.ClientId) as string) == "dev_trace";
        var cycles = clientSpans.Where(a => a.OperationName == "device_cycle" && Ours(a)).ToList();
        Assert.Equal(2, cycles.Count);
        var bySpan = clientSpans.Concat(serverSpans).GroupBy(a => a.SpanId).ToDictionary(g => g.Key, g => g.First());
        var tails = serverSpans.Where(a => a.Source.Name == ServerTelemetry.Name && a.OperationName == "tail_inference" && Ours(a)).ToList();
        Assert.Equal(2, tails.Count);
        foreach (var tail in tails)
        {
            Assert.NotNull(tail.GetTagItem(SciotTags.SplitLayer));
            var cycle = cycles.Single(c => c.TraceId == tail.TraceId);
            var ancestors = new List<string>();
            for (var span = tail; span.ParentSpanId != default && bySpan.TryGetValue(span.ParentSpanId, out var parent); span = parent)
            {
                ancestors.Add(parent.OperationName);
                if (parent.SpanId == cycle.SpanId)
                {
                    break;
                }
            }
            Assert.Equal("device_cycle", ancestors[^1]);
            Assert.Contains("send_result", ancestors);
        }
        // Only the first cycle asks for a decision; the second runs the one its predecessor's result brought.
        var decision = Assert.Single(serverSpans, a => a.OperationName == "offloading_decision" && Ours(a));
        Assert.Equal(cycles.MinBy(c => c.StartTimeUtc)!.TraceId, decision.TraceId);
    }
}
