using System.Text;
using Sciot.Server.Storage;

namespace Sciot.Tests.Cluster;

/// <summary>
/// The cluster's record log applies the export's and statistics' filters (client, model, inclusive time range) as one
/// server's SQLite store does: same rows, same ids, same sums, read from a real Garnet.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GarnetInferenceLogTests(RecordStoresFixture stores) : IClassFixture<RecordStoresFixture>
{
    private static readonly DateTimeOffset T0 = RecordStoresFixture.Start;

    public static TheoryData<InferenceFilter, long[]> Filters => new()
    {
        { InferenceFilter.All, [1, 2, 3, 4, 5] },
        { new InferenceFilter(ClientId: "cam-a"), [1, 3, 4] },
        { new InferenceFilter(ModelName: "fomo_96x96"), [1, 3, 5] },
        { new InferenceFilter(From: T0.AddSeconds(10), To: T0.AddSeconds(30)), [2, 3, 4] },
        { new InferenceFilter(ClientId: "cam-a", ModelName: "fomo_96x96", From: T0.AddSeconds(5)), [3] },
        { new InferenceFilter(To: T0.AddSeconds(-1)), [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Csv_holds_exactly_the_selected_records_in_order(InferenceFilter filter, long[] ids)
    {
        var garnet = InferenceRow.Parse(await CsvAsync(stores.Garnet, filter));
        var sqlite = (await CsvAsync(stores.Sqlite, filter)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(',')).Select(f => (long.Parse(f[0]), f[2], f[3], int.Parse(f[4]))).ToList();

        var expected = ids.Select(id => RecordStoresFixture.Records[id - 1] is var r ? (id, r.ClientId, r.ModelName, r.Layer) : default).ToList();
        Assert.Equal(expected, garnet.Select(r => (r.Id, r.ClientId, r.ModelName, r.Layer)).ToList());
        Assert.Equal(expected, sqlite);
        Assert.All(garnet, r => Assert.Equal(RecordStoresFixture.Replica, r.Replica));
    }

    [Fact]
    public async Task Csv_keeps_the_prediction_json_whole()
    {
        var csv = await CsvAsync(stores.Garnet, new InferenceFilter(ClientId: "cam-b", ModelName: "mobilenet_lite"));
        Assert.Equal(GarnetInferenceLogHeader + "\n" + """""2,2026-12-01T10:00:10.0000000+00:00,cam-b,mobilenet_lite,3,0.03,0.04,0.005,4608,"{""objects"":[{""x"":1,""y"":2}],""note"":""a, \""quoted\""""}",replica-a""""" + "\n",
            csv);
    }

    [Fact]
    public async Task Aggregates_sum_the_selected_records_per_client_and_model()
    {
        var filter = new InferenceFilter(ClientId: "cam-a");
        var garnet = await stores.Garnet.AggregateAsync(filter, CancellationToken.None);

        Assert.Equal([("cam-a", "fomo_96x96", 2L), ("cam-a", "mobilenet_lite", 1L)], garnet.Select(a => (a.ClientId, a.ModelName, a.Count)));
        var fomo = garnet[0];
        Assert.Equal(0.015, fomo.MeanDeviceSeconds, 12);
        Assert.Equal(0.040, fomo.MeanTransferSeconds, 12);
        Assert.Equal(0.005, fomo.MeanEdgeSeconds, 12);
        Assert.Equal((T0, T0.AddSeconds(20)), (fomo.First, fomo.Last));
        Assert.Equal(20.0, fomo.MeanIntervalSeconds);
        Assert.Equal(0.050, garnet[1].MeanDeviceSeconds, 12);

        var sqlite = await stores.Sqlite.AggregateAsync(filter, CancellationToken.None);
        Assert.Equal(sqlite.Select(a => (a.ClientId, a.ModelName, a.Count, a.First, a.Last)), garnet.Select(a => (a.ClientId, a.ModelName, a.Count, a.First, a.Last)));
    }

    [Fact]
    public async Task Split_histogram_counts_the_selected_records_per_layer()
    {
        var filter = new InferenceFilter(ModelName: "fomo_96x96", To: T0.AddSeconds(40));
        var garnet = await stores.Garnet.SplitHistogramAsync(filter, CancellationToken.None);

        Assert.Equal([new SplitCount("cam-a", "fomo_96x96", 5, 2), new SplitCount("cam-b", "fomo_96x96", 58, 1)], garnet);
        Assert.Equal(await stores.Sqlite.SplitHistogramAsync(filter, CancellationToken.None), garnet);
    }

    public static TheoryData<InferenceFilter> FiltersWithoutTimeRange => new()
    {
        InferenceFilter.All,
        new InferenceFilter(ClientId: "cam-a"),
        new InferenceFilter(ModelName: "fomo_96x96"),
        new InferenceFilter(ClientId: "cam-b", ModelName: "mobilenet_lite"),
        new InferenceFilter(ClientId: "cam-z"),
    };

    /// <summary>Without a time range the statistics come from the running totals written with each record, not from the list.</summary>
    [Theory]
    [MemberData(nameof(FiltersWithoutTimeRange))]
    public async Task Running_totals_give_the_sums_and_histogram_the_records_give(InferenceFilter filter)
    {
        var garnet = await stores.Garnet.AggregateAsync(filter, CancellationToken.None);
        var sqlite = await stores.Sqlite.AggregateAsync(filter, CancellationToken.None);

        Assert.Equal(sqlite.Select(a => (a.ClientId, a.ModelName, a.Count, a.First, a.Last)), garnet.Select(a => (a.ClientId, a.ModelName, a.Count, a.First, a.Last)));
        foreach (var (g, q) in garnet.Zip(sqlite))
        {
            Assert.Equal(q.MeanDeviceSeconds, g.MeanDeviceSeconds, 12);
            Assert.Equal(q.MeanTransferSeconds, g.MeanTransferSeconds, 12);
            Assert.Equal(q.MeanEdgeSeconds, g.MeanEdgeSeconds, 12);
        }
        Assert.Equal(await stores.Sqlite.SplitHistogramAsync(filter, CancellationToken.None), await stores.Garnet.SplitHistogramAsync(filter, CancellationToken.None));
    }

    private const string GarnetInferenceLogHeader = Sciot.Server.Cluster.GarnetInferenceLog.CsvHeader;

    private static async Task<string> CsvAsync(IInferenceLog log, InferenceFilter filter)
    {
        using var output = new MemoryStream();
        await log.WriteCsvAsync(filter, output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
