using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sciot.Client.Connectivity;

namespace Sciot.Client.Scenarios;

/// <summary>
/// A Sciot server on loopback for one scenario: the built <c>Sciot.Server.dll</c> run with <c>dotnet</c> as a child
/// process, on a free port, with a throwaway database and the scenario's settings; ready once <c>/health</c> answers 200.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataFolder;

    private ServerProcess(Process process, Uri url, string dataFolder)
    {
        _process = process;
        Url = url;
        _dataFolder = dataFolder;
    }

    public Uri Url { get; }

    /// <summary>The server's process id (for reading its memory and CPU time from <c>/proc</c>).</summary>
    public int ProcessId => _process.Id;

    /// <exception cref="InvalidOperationException">The server did not become healthy in time or exited; the message points to its log.</exception>
    public static async Task<ServerProcess> StartAsync(string serverDll, IReadOnlyDictionary<string, string> settings, string logPath,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "sciot-scenario-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add($"--urls={url}");
        start.ArgumentList.Add($"--Sciot:Server:DataPath={data}");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {serverDll}");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        var server = new ServerProcess(process, url, data);

        if (await ServerHealth.WaitUntilHealthyAsync(url, timeout, () => process.HasExited, cancellationToken))
        {
            return server;
        }
        if (process.HasExited)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"the server exited with code {process.ExitCode} before it was healthy; see {logPath}");
        }
        await server.DisposeAsync();
        throw new InvalidOperationException($"the server at {url} was not healthy within {timeout.TotalSeconds:0} s; see {logPath}");
    }

    /// <summary>
    /// The built server next to this checkout, in the configuration this app was built in; built first if missing.
    /// </summary>
    public static async Task<string> LocateOrBuildAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var root = FindRepositoryRoot() ?? throw new InvalidOperationException(
            $"no Sciot.sln above {AppContext.BaseDirectory}: pass --server URL to use a running server");
        var configuration = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";
        var dll = Path.Combine(root, "Sciot.Server", "bin", configuration, "net10.0", "Sciot.Server.dll");
        if (File.Exists(dll))
        {
            return dll;
        }
        progress.WriteLine($"Building Sciot.Server ({configuration}) ...");
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(root, "Sciot.Server"), "-c", configuration, "--nologo", "-v", "q"]))!;
        await build.WaitForExitAsync(cancellationToken);
        return build.ExitCode == 0 && File.Exists(dll) ? dll : throw new InvalidOperationException($"building Sciot.Server failed (exit {build.ExitCode})");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold its file for a moment after the process is gone; a temp folder left behind is harmless.
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sciot.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
