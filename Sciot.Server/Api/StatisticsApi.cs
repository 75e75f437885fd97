using Microsoft.AspNetCore.Http.HttpResults;
using Sciot.Server.Inference;
using Sciot.Server.Sessions;
using Sciot.Server.Storage;

namespace Sciot.Server.Api;

/// <summary><c>GET /api/statistics</c>: aggregates per model and per client, narrowed like the CSV export (client_id, model, from, to).</summary>
public static class StatisticsApi
{
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/statistics", GetStatistics);
        return app;
    }

    private static async Task<Ok<StatisticsView>> GetStatistics(HttpRequest request, IClientSessions sessions, IInferenceLog records, ModelRuntime runtime)
    {
        var filter = InferenceQuery.Parse(request);
        var clients = (await sessions.ListAsync())
            .Where(c => (filter.ClientId is null || c.ClientId == filter.ClientId) && (filter.ModelName is null || c.ModelName == filter.ModelName))
            .ToList();
        var aggregates = await records.AggregateAsync(filter, request.HttpContext.RequestAborted);
        var histogram = await records.SplitHistogramAsync(filter, request.HttpContext.RequestAborted);
        // Looked up per client: scanning both lists for each client would be clients x rows on every poll of the fleet page.
        var aggregatesByClient = aggregates.ToLookup(a => a.ClientId);
        var histogramByClient = histogram.ToLookup(h => h.ClientId);

        var models = runtime.Models.Where(m => filter.ModelName is null || m.Name == filter.ModelName).OrderBy(m => m.Name).Select(m =>
        {
            var rows = aggregates.Where(a => a.ModelName == m.Name).ToList();
            return new ModelStatisticsView(m.Name, clients.Count(c => c.ModelName == m.Name), rows.Sum(a => a.Count),
                Weighted(rows, a => a.MeanDeviceSeconds), Weighted(rows, a => a.MeanTransferSeconds), Weighted(rows, a => a.MeanEdgeSeconds),
                m.EdgeSeconds(), Histogram(histogram.Where(h => h.ModelName == m.Name).Select(h => (h.Layer, h.Count))));
        }).ToList();

        var perClient = clients.Select(c =>
        {
            var rows = aggregatesByClient[c.ClientId].ToList();
            var current = rows.FirstOrDefault(a => a.ModelName == c.ModelName);
            return new ClientStatisticsView(c.ClientId, c.ModelName, c.CurrentSplit, c.LastSeen, c.Statistics.BandwidthBytesPerSecond,
                rows.Sum(a => a.Count), Weighted(rows, a => a.MeanDeviceSeconds), Weighted(rows, a => a.MeanTransferSeconds),
                Weighted(rows, a => a.MeanEdgeSeconds), current?.MeanIntervalSeconds, c.Statistics.DeviceSeconds, c.DeviceTimeVariation,
                c.RefreshPending, c.RefreshReason, Histogram(histogramByClient[c.ClientId].Select(h => (h.Layer, h.Count))),
                DetectionQualityView.Of(c));
        }).ToList();
        return TypedResults.Ok(new StatisticsView(models, perClient));
    }

    private static double? Weighted(IReadOnlyList<InferenceAggregate> rows, Func<InferenceAggregate, double> mean)
    {
        var count = rows.Sum(a => a.Count);
        return count == 0 ? null : rows.Sum(a => a.Count * mean(a)) / count;
    }

    private static Dictionary<int, long> Histogram(IEnumerable<(int Layer, long Count)> rows) =>
        rows.GroupBy(r => r.Layer).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
}
