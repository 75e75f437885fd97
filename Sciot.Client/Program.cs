using Microsoft.Extensions.Options;
using Sciot.Client.Commands;
using Sciot.Client.Connectivity;
using Sciot.Client.Device;
using Sciot.Client.Telemetry;
using Sciot.Core.Telemetry;

namespace Sciot.Client;

public static class ClientProgram
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "generate-models":
                return GenerateModelsCommand.Run(args[1..]);
            case "bench":
                return await BenchCommand.RunAsync(args[1..]);
            case "bench-server":
                return await ServerBenchCommand.RunAsync(args[1..]);
            case "scenarios":
                return await ScenariosCommand.RunAsync(args[1..]);
            case "bench-fleet":
                return await FleetBenchCommand.RunAsync(args[1..]);
            case "load":
                return await LoadCommand.RunAsync(args[1..]);
            case "evaluate":
                return EvaluateCommand.Run(args[1..]);
        }

        using var host = CreateHost(args);
        LogIdentity(host);
        await host.RunAsync();
        return 0;
    }

    /// <summary>The device host (what runs without a command word), built but not started.</summary>
    /// <param name="configure">Further services, e.g. the load command's request recorder under the HTTP clients.</param>
    public static IHost CreateHost(string[] args, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        ClientConfiguration.AddSources(builder.Configuration, args, AppContext.BaseDirectory);

        builder.AddServiceDefaults();
        builder.AddSciotTelemetry(ClientTelemetry.Name);
        builder.AddResourceAttributes(sp => sp.GetRequiredService<DeviceIdentities>().ResourceAttributes());
        builder.InheritSpanTag(SciotTags.ClientId);
        builder.Services.AddOptions<DeviceOptions>().BindConfiguration(DeviceOptions.Section)
            .PostConfigure<IConfiguration>((o, config) => o.ClientId = ClientConfiguration.ConfiguredClientId(config))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DeviceOptions>, DeviceOptionsValidator>();

        builder.Services.AddServerHttpClients();
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DeviceOptions>>().Value;
            return new ModelStore(ClientPaths.BundledModels(o), ClientPaths.Cache(o), sp.GetRequiredService<ILogger<ModelStore>>());
        });
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DeviceOptions>>().Value;
            return DeviceEmulator.Create(o.Emulation, ClientPaths.BundledModels(o));
        });
        builder.Services.AddSingleton<DeviceIdentities>();
        builder.Services.AddSingleton<ClientTelemetry>();
        builder.Services.AddSingleton<DeviceModelCache>();
        builder.Services.AddSingleton<DeviceRunnerFactory>();
        builder.Services.AddHostedService<DeviceWorker>();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>
    /// The process's first log line names its device(s): in the dashboard a replica is <c>client-xxxxxxxx</c>, an
    /// Aspire name, and this line (like the <c>sciot.client_id</c> resource attribute) says which client that is.
    /// </summary>
    public static void LogIdentity(IHost host)
    {
        var identities = host.Services.GetRequiredService<DeviceIdentities>();
        var options = host.Services.GetRequiredService<IOptions<DeviceOptions>>().Value;
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sciot.Client").LogInformation(
            "Client ID {ClientId} ({Count} device(s), server {Server})", identities.Describe(), identities.Ids.Count, options.ServerUrl);
    }
}
