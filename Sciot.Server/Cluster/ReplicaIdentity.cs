namespace Sciot.Server.Cluster;

/// <summary>
/// Which server process this is, as the inference records and <c>/api/cluster</c> name it: Aspire's replica
/// instance id (<c>service.instance.id</c> in <c>OTEL_RESOURCE_ATTRIBUTES</c>, the suffix of the replica's
/// resource name in the dashboard), else host and process id.
/// </summary>
public sealed record ReplicaIdentity(string Name, int ProcessId)
{
    public static ReplicaIdentity From(IConfiguration configuration)
    {
        var instance = (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "").Split(',', StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0] == "service.instance.id")?[1];
        return new ReplicaIdentity(string.IsNullOrWhiteSpace(instance) ? $"{Environment.MachineName}-{Environment.ProcessId}" : instance,
            Environment.ProcessId);
    }
}
