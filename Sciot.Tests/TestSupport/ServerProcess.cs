using Sciot.Client.Connectivity;

namespace Sciot.Tests.TestSupport;

/// <summary>The edge server as a real process on a fixed port and data folder, for restarts, crashes and signals.</summary>
public sealed class ServerProcess : IDisposable
{
    private ServerProcess(ChildProcess process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public ChildProcess Process { get; }

    public Uri Address { get; }

    /// <summary>Starts the server and waits (bounded) until /health answers 200, i.e. edge calibration is done.</summary>
    public static async Task<ServerProcess> StartAsync(int port, string dataPath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{port}");
        var arguments = new Dictionary<string, string>
        {
            ["urls"] = address.ToString(),
            ["Sciot:Server:DataPath"] = dataPath,
            ["Sciot:Server:ModelsPath"] = RepoPaths.Models,
            ["Sciot:Server:OperatorApiKey"] = SciotServerFactory.ApiKey,
            ["Sciot:Offloading:CalibrationRuns"] = "1",
            // Test devices cycle every few milliseconds, far above any real device's rate; the rate-limit tests turn it on.
            ["Sciot:Server:RateLimit:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            arguments[key] = value;
        }
        var process = ChildProcess.Start("Sciot.Server", arguments.Select(a => $"--{a.Key}={a.Value}"));
        var server = new ServerProcess(process, address);
        try
        {
            await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        if (!await ServerHealth.WaitUntilHealthyAsync(Address, timeout, () => Process.HasExited, CancellationToken.None))
        {
            throw Process.HasExited
                ? new InvalidOperationException($"server exited with {Process.ExitCode}:\n{Process.OutputText}")
                : new TimeoutException($"server not healthy within {timeout}:\n{Process.OutputText}");
        }
    }

    public void Dispose() => Process.Dispose();
}
