using System.Diagnostics;
using System.Net.Sockets;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Cluster;

/// <summary>
/// Garnet from the repository's pinned dotnet tool with the AppHost's own arguments (persistence on), on a port of
/// the test's choosing. Killing it kills the whole process tree (<c>dotnet tool run</c> and the server it starts).
/// </summary>
public sealed class GarnetProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;

    private GarnetProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"localhost:{Port}";

    public static async Task<GarnetProcess> StartAsync(string dataFolder, int port)
    {
        await RunToEndAsync("tool", "restore");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "tool", "run", "garnet-server", "--", "--port", port.ToString(), "--bind", "127.0.0.1" }
                     .Concat(GarnetBuilderExtensions.GarnetArguments(dataFolder)))
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var garnet = new GarnetProcess(process, port);
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (!await garnet.AcceptsAsync())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"garnet-server exited with {process.ExitCode} before listening on {port}");
            }
            await Task.Delay(200, timeout.Token);
        }
        return garnet;
    }

    /// <summary>Not a shutdown: the process tree dies at once, as in a crash.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
    }

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task RunToEndAsync(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", args) { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} exited with {process.ExitCode}");
        }
    }
}
