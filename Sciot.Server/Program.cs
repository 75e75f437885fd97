using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Sciot.Core.Offloading;
using Sciot.Core.Protocol.Json;
using Sciot.Server.Api;
using Sciot.Server.Cluster;
using Sciot.Server.Fleet;
using Sciot.Server.Hosting;
using Sciot.Server.Inference;
using Sciot.Server.Offloading;
using Sciot.Server.Registration;
using Sciot.Server.Sessions;
using Sciot.Server.Storage;
using Sciot.Server.Telemetry;
using Sciot.Server.Transport;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSciotTelemetry(ServerTelemetry.Name);

builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<AssignmentOptions>().BindConfiguration(AssignmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<OffloadingOptions>().BindConfiguration(OffloadingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<IMemoryPoolFactory<byte>, ReceiveBlockPoolFactory>();
builder.Services.AddOptions<DelaySettings>().BindConfiguration(NetworkDelaySimulator.Section)
    .Validate(settings => { settings.Validate(); return true; }).ValidateOnStart();

// Kestrel's own limit sits above ours so that our reader, not Kestrel, answers oversize bodies with an explanation.
var maxRequestBytes = builder.Configuration.GetValue($"{ServerOptions.Section}:MaxRequestBytes", 4L * 1024 * 1024);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = maxRequestBytes + 1;
    RequestLimits.ConfigureKestrel(kestrel.Limits);
});

builder.Services.ConfigureHttpJsonOptions(json => SciotJson.Configure(json.SerializerOptions));
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.AddDeviceRateLimit();

builder.Services.AddSingleton<ServerTelemetry>();
builder.Services.AddSingleton<ModelRuntime>();
builder.Services.AddSingleton<DefaultAssignmentStrategy>();
builder.Services.AddSingleton<IModelAssignmentStrategy>(sp => sp.GetRequiredService<DefaultAssignmentStrategy>());
builder.Services.AddSingleton<IModelAssignmentStrategy, LeastLoadedAssignmentStrategy>();
builder.Services.AddSingleton<IModelAssignmentStrategy, CapabilityAssignmentStrategy>();
builder.Services.AddSingleton<IModelAssignmentStrategy, PreferenceAssignmentStrategy>();
builder.Services.AddSingleton<ModelAssigner>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<OffloadingOptions>>().Value.ToSessionSettings());
// Several replicas (Orleans configured): sessions are grains and records go to the shared store. One server:
// both in the embedded SQLite database.
if (!builder.AddSciotCluster())
{
    builder.Services.AddSingleton(sp =>
    {
        var server = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
        return new SciotDatabase(Path.GetFullPath(server.DataPath, sp.GetRequiredService<IHostEnvironment>().ContentRootPath), server.CommitDurability);
    });
    builder.Services.AddOptions<SessionMemoryOptions>().BindConfiguration(SessionMemoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddSingleton<InProcessClientSessions>();
    builder.Services.AddSingleton<IClientSessions>(sp => sp.GetRequiredService<InProcessClientSessions>());
    builder.Services.AddHostedService<SessionEvictionService>();
    builder.Services.AddSingleton<InferenceRecorder>();
    builder.Services.AddSingleton<IInferenceLog>(sp => sp.GetRequiredService<InferenceRecorder>());
    builder.Services.AddHostedService(sp => sp.GetRequiredService<InferenceRecorder>());
    builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddSingleton<RecordRetention>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<RecordRetention>());
    builder.Services.AddSingleton(ReplicaIdentity.From(builder.Configuration));
}
builder.Services.AddSingleton<ClientResolver>();
builder.Services.AddSingleton<NetworkDelaySimulator>();
builder.Services.AddSingleton<InferenceService>();
builder.Services.AddSingleton<FleetCharts>();
builder.Services.AddSingleton<EdgeCalibrationService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<EdgeCalibrationService>());
builder.Services.AddHealthChecks().AddCheck<EdgeCalibrationService>("edge-calibration");

var app = builder.Build();

// Load models and restore clients now: a missing or corrupt model file stops the server at start, naming the file.
app.Services.GetRequiredService<IClientSessions>();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestLimits();
app.UseRateLimiter();
app.MapRegistrationApi();
app.DeviceEndpoints().MapInferenceApi();
app.MapModelsApi();
app.MapClientsApi();
app.MapOperatorApi();
app.MapStatisticsApi();
app.MapFleetPage();
app.MapClusterApi();
app.MapOpenApi();
app.MapDefaultEndpoints();

app.Run();
