using System.Diagnostics;
using Sciot.Client.Device;
using Sciot.Core.Models;

namespace Sciot.Client.Commands;

/// <summary>
/// <c>bench [--runs N] [--warmup N] [--model NAME] [--quick]</c>: split-execution overhead and session costs of the
/// bundled models. Tables and the summary go to stdout, progress to stderr, so the report can be redirected alone.
/// </summary>
public static class BenchCommand
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(Run(args));

    private static int Run(string[] args)
    {
        if (BenchOptions.Parse(args, Console.Out, Console.Error, out var exitCode) is not { } options)
        {
            return exitCode;
        }
        var folder = ClientPaths.BundledModels(new DeviceOptions());
        ModelCatalog catalog;
        try
        {
            catalog = ModelCatalog.Load(folder);
        }
        catch (ModelLoadException e)
        {
            Console.Error.WriteLine($"bench: {e.Message}");
            return 1;
        }
        if (options.Model is not null && !catalog.TryGet(options.Model, out _))
        {
            Console.Error.WriteLine($"bench: unknown model '{options.Model}'; available: {string.Join(", ", catalog.Names)}");
            return CommandLineParsing.BadArguments;
        }
        var names = options.Model is null ? catalog.Names.ToList() : [options.Model];
        if (names.Count == 0)
        {
            Console.Error.WriteLine($"bench: no models in {folder}");
            return 1;
        }
        if (!BenchReport.IsRelease)
        {
            Console.Error.WriteLine($"bench: this is a {BenchReport.Configuration} build; use -c Release for figures worth reporting");
        }

        var started = Stopwatch.GetTimestamp();
        var report = new BenchReport(Console.Out, options);
        var benchmarks = names.Select(n => new ModelBenchmark(catalog.Get(n), options, Console.Error)).ToList();
        try
        {
            var memory = benchmarks.Select(b => b.MeasureMemory()).ToList();
            var results = new List<ModelBenchResult>();
            for (var i = 0; i < benchmarks.Count; i++)
            {
                var result = benchmarks[i].Run(memory[i]);
                report.WriteModel(result);
                results.Add(result);
            }
            report.WriteSummary(results, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            benchmarks.ForEach(b => b.Dispose());
        }
        return 0;
    }
}
