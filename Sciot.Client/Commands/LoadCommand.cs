using System.CommandLine;
using Sciot.Client.Load;

namespace Sciot.Client.Commands;

/// <summary>
/// <c>load [--devices 200] [--seconds 60] [--cycle-interval-ms 1000] [--splits -1,5,11,20,35,57] [--server URL
/// --operator-key KEY]</c>: the fleet load run (<see cref="LoadRun"/>). Table and summary line to stdout, progress to
/// stderr. Exit 0 with no errors, 1 with errors, 2 on bad arguments, 3 when the server cannot be started or reached.
/// </summary>
public static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var devices = new Option<int>("--devices") { Description = "virtual devices in this process", DefaultValueFactory = _ => 200 };
        var seconds = new Option<double>("--seconds") { Description = "how long the devices run", DefaultValueFactory = _ => 60 };
        var interval = new Option<int>("--cycle-interval-ms") { Description = "pause of each device between cycles", DefaultValueFactory = _ => 1000 };
        var splits = new Option<string>("--splits") { Description = "cuts forced round-robin over the devices", DefaultValueFactory = _ => string.Join(",", LoadSettings.MixedSplits) };
        var server = CommandLineParsing.Url("--server", "a running server (default: start one on loopback)");
        var key = new Option<string?>("--operator-key") { Description = "the running server's operator key" };
        var root = new RootCommand("Runs many virtual devices against one server and reports requests/s, latency per endpoint, errors, server RSS and CPU")
            { devices, seconds, interval, splits, server, key };
        if (CommandLineParsing.Parse(root, "load", args, Console.Out, Console.Error, out var exitCode) is not { } parse)
        {
            return exitCode;
        }
        int[] cuts;
        try
        {
            cuts = parse.GetValue(splits)!.Split(',').Select(int.Parse).ToArray();
        }
        catch (FormatException)
        {
            Console.Error.WriteLine($"load: --splits must be comma-separated integers, got '{parse.GetValue(splits)}'");
            return CommandLineParsing.BadArguments;
        }
        if (parse.GetValue(devices) < 1 || parse.GetValue(seconds) <= 0 || parse.GetValue(interval) < 0 || cuts.Length == 0)
        {
            Console.Error.WriteLine("load: --devices must be at least 1, --seconds above 0, --cycle-interval-ms at least 0, --splits not empty");
            return CommandLineParsing.BadArguments;
        }
        if (!BenchReport.IsRelease)
        {
            Console.Error.WriteLine($"load: this is a {BenchReport.Configuration} build; use -c Release for figures worth reporting");
        }
        var settings = new LoadSettings(parse.GetValue(devices), TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(interval), cuts,
            parse.GetValue(server), parse.GetValue(key));
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        LoadReport report;
        try
        {
            report = await LoadRun.RunAsync(settings, Console.Error, cancel.Token);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            Console.Error.WriteLine($"load: {e.Message}");
            return 3;
        }
        report.Write(Console.Out);
        return report.Errors == 0 ? 0 : 1;
    }
}
