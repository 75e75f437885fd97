using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime;
using Sciot.Server.Cluster;

namespace Sciot.Server.Api;

/// <summary><c>GET /api/cluster</c>: which replica answered, and the silos Orleans counts as members of the cluster.</summary>
public static class ClusterApi
{
    public sealed record SiloView(string Address, string Status);

    public sealed record ClusterReply(bool Clustered, string Replica, int ProcessId, IReadOnlyList<SiloView> Silos);

    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cluster", Describe);
        return app;
    }

    private static async Task<Ok<ClusterReply>> Describe(ReplicaIdentity replica, IServiceProvider services)
    {
        if (services.GetService<IGrainFactory>() is not { } grains)
        {
            return TypedResults.Ok(new ClusterReply(false, replica.Name, replica.ProcessId, []));
        }
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false);
        return TypedResults.Ok(new ClusterReply(true, replica.Name, replica.ProcessId,
            hosts.OrderBy(h => h.Key.ToString(), StringComparer.Ordinal).Select(h => new SiloView(h.Key.ToString(), h.Value.ToString())).ToList()));
    }
}
