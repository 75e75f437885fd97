using Orleans.Configuration;
using Orleans.Serialization;
using Sciot.Server.Sessions;
using Sciot.Server.Storage;
using StackExchange.Redis;

namespace Sciot.Server.Cluster;

/// <summary>
/// Makes the server an Orleans silo when the AppHost (or an operator) configured Orleans clustering, the way
/// Aspire's Orleans integration does: <c>Orleans:Clustering:ProviderType</c> and <c>ServiceKey</c>, grain storage
/// under <c>Orleans:GrainStorage:sessions</c>, and the store's address as <c>ConnectionStrings:{ServiceKey}</c>.
/// Then client sessions are grains and inference records go to the shared store. Without that section nothing of
/// Orleans starts and the server is the embedded single process.
/// </summary>
public static class ClusterHosting
{
    public const string ProviderTypeKey = "Orleans:Clustering:ProviderType";

    /// <summary>The grain storage provider the session grains persist through.</summary>
    public const string SessionStorage = "sessions";

    public static bool IsClustered(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[ProviderTypeKey]);

    /// <summary>Returns false (and changes nothing) when no Orleans clustering is configured.</summary>
    public static bool AddSciotCluster(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!IsClustered(configuration))
        {
            return false;
        }
        var storeKey = configuration[$"Orleans:GrainStorage:{SessionStorage}:ServiceKey"]
            ?? throw new InvalidOperationException($"Orleans clustering is configured but no grain storage '{SessionStorage}' (Orleans:GrainStorage:{SessionStorage}:ServiceKey)");
        // Orleans' Redis providers take the connection by service key from DI; one shared multiplexer per store.
        foreach (var key in ServiceKeys(configuration.GetSection("Orleans")))
        {
            var connectionString = configuration.GetConnectionString(key)
                ?? throw new InvalidOperationException($"Orleans names the store '{key}' but ConnectionStrings:{key} is not set");
            builder.Services.AddKeyedSingleton<IConnectionMultiplexer>(key, (_, _) => Connect(connectionString));
        }
        builder.UseOrleans(silo =>
        {
            // A killed replica is declared dead after 3 missed probes of 2 s, instead of Orleans' default ~15 s:
            // its grains re-activate on the survivors from storage. Calls to it fail after 8 s rather than 30 s.
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(2);
                options.NumMissedProbesLimit = 3;
            });
            silo.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(8));
            // Session types cross silos as JSON: they stay plain records, without Orleans attributes.
            silo.Services.AddSerializer(serializer => serializer.AddJsonSerializer(
                isSerializable: type => type.Namespace?.StartsWith("Sciot", StringComparison.Ordinal) == true,
                isCopyable: type => type.Namespace?.StartsWith("Sciot", StringComparison.Ordinal) == true,
                configureOptions: options => options.Configure(o => o.SerializerOptions.IncludeFields = true)));
        });
        builder.Services.AddSingleton(ReplicaIdentity.From(configuration));
        builder.Services.AddSingleton(sp => new ClusterStore(sp.GetRequiredKeyedService<IConnectionMultiplexer>(storeKey),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterOptions>>().Value.ServiceId));
        builder.Services.AddSingleton<IClientSessions, ClusterClientSessions>();
        builder.Services.AddSingleton<IInferenceLog, GarnetInferenceLog>();
        return true;
    }

    /// <summary>
    /// The service keys of the providers under the Orleans section (<c>Clustering:ServiceKey</c>,
    /// <c>GrainStorage:sessions:ServiceKey</c>, ...), each once.
    /// </summary>
    public static IReadOnlyList<string> ServiceKeys(IConfigurationSection orleans) =>
        Flatten(orleans).Where(s => s.Key == "ServiceKey" && !string.IsNullOrWhiteSpace(s.Value))
            .Select(s => s.Value!).Distinct(StringComparer.Ordinal).ToList();

    private static IEnumerable<IConfigurationSection> Flatten(IConfigurationSection section) =>
        section.GetChildren().SelectMany(child => new[] { child }.Concat(Flatten(child)));

    /// <summary>
    /// No abort on a failed first connect: Garnet may still be starting, or restarting, and the multiplexer keeps
    /// reconnecting in the background.
    /// </summary>
    private static ConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(options);
    }
}
