using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Sciot.Server.Storage;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

/// <summary>A result whose record could not be stored is answered 500; the device's retry is stored once and counted once.</summary>
public sealed class StoreFailureRetryTests
{
    [Fact]
    public async Task After_a_failed_commit_the_retry_is_stored_and_the_client_counts_one_inference()
    {
        await using var factory = new SciotServerFactory(configure: host => host.ConfigureTestServices(services =>
            services.AddSingleton<IInferenceLog>(sp => new FailingOnceLog(sp.GetRequiredService<InferenceRecorder>()))));
        using var http = factory.CreateClient();
        await factory.WaitForCalibrationAsync();
        using var device = new ScriptedDevice();
        await http.RegisterAsync("disk_full");
        var body = device.V2(ScriptedDevice.Fomo, 20, device.Frame(ScriptedDevice.Fomo, 1));

        using var failed = await http.PostResultAsync("disk_full", body);
        var retry = await http.PostResultOkAsync("disk_full", body);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(20, retry.GetProperty("offloading_layer_index").GetInt32());
        var client = await http.ClientAsync("disk_full");
        Assert.Equal(1, client.GetProperty("inference_count").GetInt64());
        Assert.Equal(1, factory.Services.GetRequiredService<SciotDatabase>().CountInferences("disk_full"));
    }

    /// <summary>The real record log, except that the first record fails as a full disk would.</summary>
    private sealed class FailingOnceLog(IInferenceLog inner) : IInferenceLog
    {
        private int _failuresLeft = 1;

        public Task RecordAsync(InferenceRecord record, ClientProgress progress) =>
            Interlocked.Decrement(ref _failuresLeft) >= 0 ? Task.FromException(new IOException("disk full (test)")) : inner.RecordAsync(record, progress);

        public Task WriteCsvAsync(InferenceFilter filter, Stream output, CancellationToken cancellationToken) => inner.WriteCsvAsync(filter, output, cancellationToken);

        public Task<IReadOnlyList<InferenceAggregate>> AggregateAsync(InferenceFilter filter, CancellationToken cancellationToken) =>
            inner.AggregateAsync(filter, cancellationToken);

        public Task<IReadOnlyList<SplitCount>> SplitHistogramAsync(InferenceFilter filter, CancellationToken cancellationToken) =>
            inner.SplitHistogramAsync(filter, cancellationToken);
    }
}
