using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sciot.Tests.TestSupport;

/// <summary>
/// A .NET program of the solution run as a real child process (<c>dotnet X.dll args</c> from the test's output
/// folder), its output captured line by line. Disposing kills it if it still runs: a test never leaves one behind.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyCollection<string> Output => _output;

    /// <param name="assembly">e.g. <c>Sciot.Server</c>: its dll next to the tests' own.</param>
    public static ChildProcess Start(string assembly, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        // The child's telemetry and logs stay local; Aspire variables of a surrounding run must not leak in.
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {assembly}"));
    }

    /// <summary>Sends a POSIX signal (SIGTERM, SIGINT) so the program shuts down as under a process manager.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL: a crash, with no chance to flush or answer anything.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public string OutputText => string.Join("\n", _output);

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
