using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.EndToEnd;

/// <summary>
/// Starts the real AppHost once for the end-to-end class: server + 3 client replicas + the 3 demo cameras as separate processes, on a free
/// port and a throw-away data folder. Every wait is bounded so a startup failure fails the tests instead of hanging them.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public const int Replicas = 3;

    /// <summary>The AppHost's default demo cameras (appsettings.json) next to the replicas.</summary>
    public static readonly string[] DemoDevices = ["cam-weak", "cam-lte", "cam-degrading"];

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
        // No dashboard here, so nothing receives OTLP: an exporter flushing into the void at shutdown makes a process
        // take ~17 s to stop, longer than the orchestrator waits when a resource is stopped on its own (Remove client).
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }
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
            await AppHostStartup.StopAsync(App);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
