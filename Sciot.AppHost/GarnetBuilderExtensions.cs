using Aspire.Hosting.ApplicationModel;

internal static class GarnetBuilderExtensions
{
    /// <summary>
    /// Garnet with persistence on: every write goes to the append-only file and a checkpoint is taken every minute,
    /// both in <paramref name="dataFolder"/>, and <c>--recover</c> reads them back, so a Garnet restart keeps the
    /// cluster's membership history and every grain's state. The tool is restored first by its own resource.
    /// </summary>
    public static IResourceBuilder<GarnetResource> AddGarnetServer(this IDistributedApplicationBuilder builder, string name, string dataFolder)
    {
        // The tool manifest (.config/dotnet-tools.json) sits at the repository root, the AppHost folder's parent.
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var restore = builder.AddExecutable($"{name}-restore", "dotnet", repositoryRoot, "tool", "restore");
        var garnet = new GarnetResource(name, repositoryRoot);
        return builder.AddResource(garnet)
            .WithEndpoint(GarnetResource.EndpointName, endpoint =>
            {
                endpoint.UriScheme = "tcp";
                endpoint.IsProxied = false;
            })
            .WithArgs(context =>
            {
                context.Args.Add("tool");
                context.Args.Add("run");
                context.Args.Add("garnet-server");
                context.Args.Add("--");
                context.Args.Add("--port");
                context.Args.Add(garnet.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                foreach (var arg in GarnetArguments(dataFolder))
                {
                    context.Args.Add(arg);
                }
            })
            // Orleans knows Redis, and Garnet speaks it: the provider type makes Aspire configure Orleans' Redis providers.
            .WithOrleansProviderType("Redis")
            .WaitForCompletion(restore);
    }

    /// <summary>
    /// <c>--device-type RandomAccess</c>: .NET file I/O, because the default native device needs libaio, which a
    /// machine with only the .NET SDK lacks. <c>--lua</c>: Orleans' Redis grain storage checks ETags in Lua scripts.
    /// Memory is capped well below Garnet's 16 GiB default; sessions are small.
    /// </summary>
    public static IEnumerable<string> GarnetArguments(string dataFolder) =>
    [
        "--checkpointdir", dataFolder, "--aof", "--recover", "--checkpoint-freq", "60", "--device-type", "RandomAccess",
        "--lua", "--memory", "512m", "--index", "32m",
    ];
}
