using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Sciot.Client;
using Sciot.Client.Telemetry;
using Sciot.Core.Telemetry;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Telemetry;

/// <summary>A client's ID is findable from its dashboard resource: resource attribute and every span it starts.</summary>
public sealed class ClientIdTelemetryTests
{
    [Fact]
    public async Task Every_client_span_including_the_http_client_spans_carries_the_client_id()
    {
        using var server = new SciotServerFactory();
        var address = server.StartOnRealPort();
        var spans = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder()
                   .AddSource(ClientTelemetry.Name)
                   .AddHttpClientInstrumentation()
                   .AddProcessor(new InheritedTagProcessor(SciotTags.ClientId))
                   .AddInMemoryExporter(spans)
                   .Build())
        {
            using var http = new HttpClient { BaseAddress = address };
            using var device = TestDevices.Create("dev_tags", http);
            await device.StartAsync(CancellationToken.None);
            await device.RunCycleAsync(CancellationToken.None);
            await device.RunCycleAsync(CancellationToken.None);
        }

        // Listeners are process-wide and other tests run meanwhile: keep the traces this device started.
        var traces = spans.Where(s => s.Parent is null && s.Source.Name == ClientTelemetry.Name && (s.GetTagItem(SciotTags.ClientId) as string) == "dev_tags")
            .Select(s => s.TraceId).ToHashSet();
        var ours = spans.Where(s => traces.Contains(s.TraceId)).ToList();
        Assert.Equal(3, traces.Count); // register + two cycles
        // Only the first cycle asks for its decision; the second runs the one the first result brought.
        Assert.Equal(["device_cycle", "device_cycle", "device_inference", "device_inference", "get_decision", "register", "send_result", "send_result", "upload_frame", "upload_frame"],
            ours.Where(s => s.Source.Name == ClientTelemetry.Name).Select(s => s.OperationName).Order());
        // POST registration; GET offloading_layer in the first cycle; per cycle POST device_input and device_inference_result.
        var httpSpans = ours.Where(s => s.Source.Name != ClientTelemetry.Name).ToList();
        Assert.Equal(6, httpSpans.Count);
        Assert.All(ours, s => Assert.Equal("dev_tags", s.GetTagItem(SciotTags.ClientId)));
    }

    [Theory]
    [InlineData(new[] { "--client-id", "dev_resource" }, "dev_resource", 1)]
    [InlineData(new[] { "--client-id", "lab", "--devices", "3" }, "lab_1, lab_2, lab_3", 3)]
    [InlineData(new[] { "--client-id", "load", "--devices", "12" }, "load_1, load_2, load_3, load_4, load_5, load_6, load_7, load_8, load_9, load_10 (+2 more)", 12)]
    public void The_client_process_resource_names_its_device_ids_on_every_signal(string[] args, string expectedId, long expectedCount)
    {
        using var host = ClientProgram.CreateHost([.. args, "--server", "http://127.0.0.1:9"]);

        var resources = new[]
        {
            host.Services.GetRequiredService<TracerProvider>().GetResource(),
            host.Services.GetRequiredService<MeterProvider>().GetResource(),
            host.Services.GetRequiredService<LoggerProvider>().GetResource(),
        };
        Assert.All(resources, resource =>
        {
            var attributes = resource.Attributes.ToDictionary(a => a.Key, a => a.Value);
            Assert.Equal(expectedId, attributes[SciotTags.ClientId]);
            Assert.Equal(expectedCount, Convert.ToInt64(attributes[SciotTags.DeviceCount]));
        });
    }
}
