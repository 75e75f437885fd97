using Microsoft.Data.Sqlite;
using Sciot.Client.Device;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Persistence;

/// <summary>
/// The edge server as a real process, stopped (SIGTERM) or crashed (SIGKILL) while devices run, then started again
/// on the same port and data folder. Devices keep running (locally meanwhile), re-register, keep their models, and
/// every result the server acknowledged is in its database afterwards: counted on the devices and in the database.
/// </summary>
public sealed class ServerCrashTests : IDisposable
{
    private const int Devices = 4;
    private readonly string _dataPath = SciotServerFactory.NewTempFolder();

    [Fact]
    public Task A_graceful_stop_loses_no_acknowledged_result_and_stores_nothing_unacknowledged() => RestartMidRun(crash: false);

    [Fact]
    public Task A_crash_loses_no_acknowledged_result() => RestartMidRun(crash: true);

    private async Task RestartMidRun(bool crash)
    {
        var port = TestPorts.FreeBelowEphemeralRange();
        var settings = new Dictionary<string, string> { ["Sciot:Assignment:Strategy"] = "least-loaded" };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var server = await ServerProcess.StartAsync(port, _dataPath, settings);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(5) };
        var options = TestDevices.FastOptions();
        options.CycleIntervalMs = 20;
        options.Registration.ReconnectIntervalSeconds = 0.2;
        var devices = Enumerable.Range(1, Devices).Select(i => TestDevices.Create($"crash_{i}", http, options)).ToList();
        var loops = devices.Select(d => Task.Run(() => d.RunAsync(cancel.Token))).ToList();
        try
        {
            await Until(() => devices.All(d => d.AcknowledgedResults >= 5), cancel.Token);
            var models = devices.Select(d => d.ModelName).ToList();
            Assert.Equal(2, models.Distinct().Count());

            if (crash)
            {
                server.Process.KillHard();
            }
            else
            {
                server.Process.Signal(ChildProcess.SigTerm);
            }
            var exit = await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            server.Dispose();
            var beforeRestart = devices.Select(d => d.AcknowledgedResults).ToList();
            var localBefore = devices.Select(d => d.LocalOnlyCycles).ToList();
            await Until(() => devices.Select((d, i) => d.LocalOnlyCycles > localBefore[i]).All(x => x), cancel.Token);

            server = await ServerProcess.StartAsync(port, _dataPath, settings);
            await Until(() => devices.Select((d, i) => d.AcknowledgedResults >= beforeRestart[i] + 3).All(x => x), cancel.Token);
            var modelsAfterRestart = devices.Select(d => d.ModelName).ToList();
            // The final stop is graceful while the devices still run: their requests in flight are answered, so
            // the devices' count is complete once each has gone local; stopping the devices first would cut a reply.
            server.Process.Signal(ChildProcess.SigTerm);
            Assert.Equal(0, await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            var localAtEnd = devices.Select(d => d.LocalOnlyCycles).ToList();
            await Until(() => devices.Select((d, i) => d.LocalOnlyCycles > localAtEnd[i]).All(x => x), cancel.Token);
            await cancel.CancelAsync();
            await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { })));
            Assert.All(loops, l => Assert.False(l.IsFaulted, l.Exception?.ToString()));

            if (!crash)
            {
                Assert.Equal(0, exit);
            }
            Assert.Equal(models, modelsAfterRestart);
            var stored = StoredPerClient();
            for (var i = 0; i < Devices; i++)
            {
                var acknowledged = devices[i].AcknowledgedResults;
                var inDatabase = stored.GetValueOrDefault(devices[i].ClientId);
                // Graceful: in-flight requests finish and are answered, so the counts agree exactly. A crash can cut
                // off the reply of one committed result per device (it had one request in flight), never lose one.
                Assert.True(crash ? inDatabase - acknowledged is 0 or 1 : inDatabase == acknowledged,
                    $"{devices[i].ClientId}: {acknowledged} acknowledged, {inDatabase} stored (crash: {crash})");
            }
        }
        finally
        {
            await cancel.CancelAsync();
            server.Dispose();
            devices.ForEach(d => d.Dispose());
        }
    }

    private Dictionary<string, long> StoredPerClient()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dataPath, "sciot.db"), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT client_id, COUNT(*) FROM inferences GROUP BY client_id";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, long>();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    private static async Task Until(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    public void Dispose() => SciotServerFactory.DeleteFolder(_dataPath);
}
