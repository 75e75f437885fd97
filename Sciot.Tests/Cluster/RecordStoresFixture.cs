using Microsoft.Extensions.Logging.Abstractions;
using Sciot.Server.Cluster;
using Sciot.Server.Storage;
using Sciot.Tests.TestSupport;
using StackExchange.Redis;

namespace Sciot.Tests.Cluster;

/// <summary>
/// The same five inference records in both stores: the cluster's Garnet log (a real Garnet from the pinned tool)
/// and one server's SQLite recorder, so their reads can be checked against one expectation.
/// </summary>
public sealed class RecordStoresFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Ids 1..5 in this order: time, client, model, layer, device/transfer/edge seconds.</summary>
    public static readonly InferenceRecord[] Records =
    [
        Record(0, "cam-a", "fomo_96x96", 5, 0.010, 0.020, 0.003),
        Record(10, "cam-b", "mobilenet_lite", 3, 0.030, 0.040, 0.005),
        Record(20, "cam-a", "fomo_96x96", 5, 0.020, 0.060, 0.007),
        Record(30, "cam-a", "mobilenet_lite", 9, 0.050, 0.010, 0.002),
        Record(40, "cam-b", "fomo_96x96", 58, 0.400, 0.000, 0.000),
    ];

    private readonly string _data = Directory.CreateTempSubdirectory("sciot-records-").FullName;
    private GarnetProcess? _garnet;
    private ConnectionMultiplexer? _connection;
    private SciotDatabase? _database;
    private InferenceRecorder? _recorder;

    public const string Replica = "replica-a";

    public GarnetInferenceLog Garnet { get; private set; } = null!;

    public InferenceRecorder Sqlite => _recorder!;

    public async Task InitializeAsync()
    {
        _garnet = await GarnetProcess.StartAsync(Path.Combine(_data, "garnet"), TestPorts.FreeBelowEphemeralRange());
        _connection = await ConnectionMultiplexer.ConnectAsync(_garnet.ConnectionString);
        Garnet = new GarnetInferenceLog(new ClusterStore(_connection, $"test-{Guid.NewGuid():N}"), new ReplicaIdentity(Replica, Environment.ProcessId));
        _database = new SciotDatabase(Path.Combine(_data, "sqlite"));
        _recorder = new InferenceRecorder(_database, NullLogger<InferenceRecorder>.Instance);
        foreach (var record in Records)
        {
            var progress = new ClientProgress(record.ClientId, record.ModelName, record.Time, 1, "{}");
            await Garnet.RecordAsync(record, progress);
            await _recorder.RecordAsync(record, progress);
        }
    }

    public async Task DisposeAsync()
    {
        if (_recorder is not null)
        {
            await _recorder.DisposeAsync();
        }
        _database?.Dispose();
        _connection?.Dispose();
        _garnet?.Dispose();
        SciotServerFactory.DeleteFolder(_data);
    }

    private static InferenceRecord Record(int second, string client, string model, int layer, double device, double transfer, double edge) =>
        new(Start.AddSeconds(second), client, model, layer, device, transfer, edge, 4608, """{"objects":[{"x":1,"y":2}],"note":"a, \"quoted\""}""", second);
}
