using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Sciot.Client.Commands;
using Sciot.Client.Connectivity;
using Sciot.Client.Device;
using Sciot.Client.Telemetry;

namespace Sciot.Client;

public static class ClientProgram
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "generate-models":
                return GenerateModelsCommand.Run(args);
            case "bench":
                return await BenchCommand.RunAsync(args[1..]);
            case "bench-server":
                return await ServerBenchCommand.RunAsync(args[1..]);
        }

        var builder = Host.CreateApplicationBuilder(args);
        ClientConfiguration.AddSources(builder.Configuration, args, AppContext.BaseDirectory);

        builder.AddServiceDefaults();
        builder.AddSciotTelemetry(ClientTelemetry.Name);
        builder.Services.AddOptions<DeviceOptions>().BindConfiguration(DeviceOptions.Section)
            .PostConfigure<IConfiguration>((o, config) => o.ClientId = ClientConfiguration.ConfiguredClientId(config))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DeviceOptions>, DeviceOptionsValidator>();

        builder.Services.AddHttpClient("server", (sp, http) => Configure(sp, http))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                // A device notices a dead server within seconds and falls back to local inference.
                resilience.Retry.MaxRetryAttempts = 1;
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
            });
        builder.Services.AddHttpClient("registration", (sp, http) => Configure(sp, http)).RemoveAllResilienceHandlers();
        builder.Services.AddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new ServerApi(factory.CreateClient("server"), factory.CreateClient("registration"));
        });
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DeviceOptions>>().Value;
            return new ModelStore(ClientPaths.BundledModels(o), ClientPaths.Cache(o), sp.GetRequiredService<ILogger<ModelStore>>());
        });
        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DeviceOptions>>().Value;
            return DeviceEmulator.Create(o.Emulation, ClientPaths.BundledModels(o), sp.GetRequiredService<ILogger<DeviceEmulator>>());
        });
        builder.Services.AddSingleton<ClientTelemetry>();
        builder.Services.AddSingleton<DeviceRunnerFactory>();
        builder.Services.AddHostedService<DeviceWorker>();

        await builder.Build().RunAsync();
        return 0;
    }

    private static void Configure(IServiceProvider services, HttpClient http)
    {
        var o = services.GetRequiredService<IOptions<DeviceOptions>>().Value;
        http.BaseAddress = new Uri(o.ServerUrl);
        http.Timeout = TimeSpan.FromSeconds(o.RequestTimeoutSeconds);
    }
}
