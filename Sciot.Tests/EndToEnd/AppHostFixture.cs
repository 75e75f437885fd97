using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.EndToEnd;

/// <summary>
/// Starts the real AppHost once for the end-to-end class: server + 3 client replicas as separate processes, on a free
/// port and a throw-away data folder. Every wait is bounded so a startup failure fails the tests instead of hanging them.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public const int Replicas = 3;

    private readonly string _data = Directory.CreateTempSubdirectory("sciot-e2e-").FullName;

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Server { get; private set; } = null!;

    public string OperatorKey { get; } = Guid.NewGuid().ToString("N");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Sciot_AppHost>(
            [
                $"--clients={Replicas}", $"--server-port={TestPorts.FreeBelowEphemeralRange()}", $"--server-data={_data}", "--real-time=false",
                "--cycle-interval-ms=200", $"--operator-api-key={OperatorKey}",
            ],
            (app, _) => app.DisableDashboard = true,
            timeout.Token);
        App = await builder.BuildAsync(timeout.Token).WaitAsync(timeout.Token);
        await App.StartAsync(timeout.Token).WaitAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("server", timeout.Token).WaitAsync(timeout.Token);
        Server = App.CreateHttpClient("server", "http");
    }

    public async Task DisposeAsync()
    {
        Server?.Dispose();
        if (App is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await App.StopAsync(timeout.Token).WaitAsync(timeout.Token);
            await App.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
