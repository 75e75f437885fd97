using System.CommandLine;
using Sciot.Client.Scenarios;
using Sciot.Core.Models;
using Sciot.Core.Offloading.CostModel;

namespace Sciot.Client.Commands;

/// <summary>
/// <c>scenarios [--only NAME[,NAME]] [--duration-scale F] [--server URL] --out results/</c>: runs the scenario files
/// of <c>Scenarios/Definitions/</c> and writes per-scenario CSVs, the scenarios as run, <c>summary.csv</c> and charts.
/// Exit codes: 0 done, 2 bad arguments or scenario file, 3 server could not be started or reached.
/// </summary>
public static class ScenariosCommand
{
    public static string DefinitionsFolder { get; } = Path.Combine(AppContext.BaseDirectory, "Scenarios", "Definitions");

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        var only = new Option<string[]>("--only") { Description = "Run only these scenarios (names, comma-separated or repeated)", AllowMultipleArgumentsPerToken = true };
        var scale = new Option<double>("--duration-scale") { Description = "Multiply every scenario's duration and event times", DefaultValueFactory = _ => 1.0 };
        var server = CommandLineParsing.Url("--server", "Use this running server instead of starting one per scenario (its strategy and settings apply)");
        var outFolder = new Option<DirectoryInfo>("--out") { Description = "Output folder", DefaultValueFactory = _ => new DirectoryInfo("results") };
        var folder = new Option<DirectoryInfo>("--scenarios") { Description = "Folder of scenario files", DefaultValueFactory = _ => new DirectoryInfo(DefinitionsFolder) };
        var list = new Option<bool>("--list") { Description = "List the scenarios and exit" };
        var command = new RootCommand("Runs Sciot's experiments against a real server on loopback") { only, scale, server, outFolder, folder, list };
        if (CommandLineParsing.Parse(command, "scenarios", args, output, Console.Error, out var exitCode) is not { } parsed)
        {
            return exitCode;
        }

        List<Scenario> scenarios;
        try
        {
            scenarios = Select(parsed.GetValue(folder)!.FullName, parsed.GetValue(only) ?? []);
            var factor = parsed.GetValue(scale);
            if (!double.IsFinite(factor) || factor <= 0 || factor > 100)
            {
                throw new ArgumentException($"--duration-scale {factor} must be in (0, 100]");
            }
            scenarios = [.. scenarios.Select(s => factor == 1 ? s : s.Scaled(factor))];
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or FileNotFoundException or DirectoryNotFoundException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return CommandLineParsing.BadArguments;
        }
        if (parsed.GetValue(list))
        {
            scenarios.ForEach(s => output.WriteLine($"{s.Name,-28} {s.ClientCount,3} client(s) {s.DurationSeconds,6:0.#} s  {s.Description}"));
            return 0;
        }

        var models = ModelCatalog.FindFolderAbove(AppContext.BaseDirectory, Directory.GetCurrentDirectory())
                     ?? throw new DirectoryNotFoundException("no models/ folder above the app or the working directory");
        var results = new List<ScenarioResult>();
        var outPath = Directory.CreateDirectory(parsed.GetValue(outFolder)!.FullName).FullName;
        var runner = new ScenarioRunner(models, Esp32S3CostModel.Fit(models), output);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            var given = parsed.GetValue(server);
            var serverDll = given is null ? await ServerProcess.LocateOrBuildAsync(output, cancel.Token) : null;
            foreach (var scenario in scenarios)
            {
                var folderOfScenario = Path.Combine(outPath, scenario.Name);
                Directory.CreateDirectory(folderOfScenario);
                if (given is not null)
                {
                    results.Add(await runner.RunAsync(scenario, given, folderOfScenario, cancel.Token));
                    continue;
                }
                // Emulated devices run their cycles back to back, far faster than their emulated clock: no per-client rate limit.
                var settings = new Dictionary<string, string>(scenario.Server)
                {
                    ["Sciot:Assignment:Strategy"] = scenario.Strategy,
                    ["Sciot:Server:RateLimit:Enabled"] = "false",
                };
                await using var process = await ServerProcess.StartAsync(serverDll!, settings, Path.Combine(folderOfScenario, "server.log"),
                    TimeSpan.FromSeconds(90), cancel.Token);
                results.Add(await runner.RunAsync(scenario, process.Url, folderOfScenario, cancel.Token));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"scenarios: {e.Message}");
            return 3;
        }
        await ScenarioSummary.WriteAsync(results, outPath, cancel.Token);
        output.WriteLine($"Wrote {results.Count} scenario(s), summary.csv and charts to {outPath}");
        return 0;
    }

    private static List<Scenario> Select(string folder, string[] only)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"scenario folder {folder} does not exist");
        }
        var all = Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(Scenario.Load).ToList();
        var names = only.SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var unknown = names.Where(n => all.All(s => s.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown scenario(s) {string.Join(", ", unknown)}; known: {string.Join(", ", all.Select(s => s.Name))}");
        }
        return names.Count == 0 ? all : [.. all.Where(s => names.Contains(s.Name))];
    }
}
