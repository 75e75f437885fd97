namespace Sciot.Tests.Cluster;

/// <summary>The cluster runs (Garnet, three silos, six clients) take most of the machine: they run alone, not beside other AppHost tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster";
}
