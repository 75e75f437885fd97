using System.CommandLine;
using System.Globalization;
using Sciot.Client.Device;
using Sciot.Client.Load;

namespace Sciot.Client.Commands;

/// <summary>
/// <c>load [--devices 200] [--seconds 60] [--cycle-interval-ms 1000] [--splits -1,5,11,20,35,57] [--server URL
/// --operator-key KEY]</c>: the fleet load run (<see cref="LoadRun"/>). Table and summary line to stdout, progress to
/// stderr. Exit 0 with no errors, 1 with errors, 2 on bad arguments, 3 when the server cannot be started or reached.
/// </summary>
public static class LoadCommand
{
    private const int DefaultDevices = 200;
    private const int DefaultCycleIntervalMs = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        // Bounded as the device options they become: past those bounds the device host would fail its options check instead of exit 2.
        var devices = CommandLineParsing.Count("--devices", $"virtual devices in this process (default {DefaultDevices})", 1, DeviceOptions.MaxDevices);
        var seconds = new Option<double>("--seconds") { Description = "how long the devices run", DefaultValueFactory = _ => 60 };
        var interval = CommandLineParsing.Count("--cycle-interval-ms", $"pause of each device between cycles (default {DefaultCycleIntervalMs})", 0, DeviceOptions.MaxCycleIntervalMs);
        var splits = new Option<string>("--splits") { Description = "cuts forced round-robin over the devices", DefaultValueFactory = _ => string.Join(",", LoadSettings.MixedSplits) };
        var server = CommandLineParsing.Url("--server", "a running server (default: start one on loopback)");
        var key = new Option<string?>("--operator-key") { Description = "the running server's operator key" };
        var root = new RootCommand("Runs many virtual devices against one server and reports requests/s, latency per endpoint, errors, server RSS and CPU")
            { devices, seconds, interval, splits, server, key };
        if (CommandLineParsing.Parse(root, "load", args, Console.Out, Console.Error, out var exitCode) is not { } parse)
        {
            return exitCode;
        }
        var cuts = new List<int>();
        foreach (var text in parse.GetValue(splits)!.Split(','))
        {
            // TryParse: a number too large for an int is as wrong as no number.
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var cut))
            {
                Console.Error.WriteLine($"load: --splits must be comma-separated integers, got '{parse.GetValue(splits)}'");
                return CommandLineParsing.BadArguments;
            }
            cuts.Add(cut);
        }
        if (parse.GetValue(seconds) <= 0)
        {
            Console.Error.WriteLine("load: --seconds must be above 0");
            return CommandLineParsing.BadArguments;
        }
        if (!BenchReport.IsRelease)
        {
            Console.Error.WriteLine($"load: this is a {BenchReport.Configuration} build; use -c Release for figures worth reporting");
        }
        var settings = new LoadSettings(parse.GetValue(devices) ?? DefaultDevices, TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(interval) ?? DefaultCycleIntervalMs, cuts,
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
