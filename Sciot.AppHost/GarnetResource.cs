using Aspire.Hosting.ApplicationModel;

/// <summary>
/// Garnet (Microsoft's Redis-compatible store) run from the repository's pinned dotnet tool, so the cluster needs no
/// container and nothing beyond the .NET SDK. Other resources get its address as a Redis connection string.
/// </summary>
internal sealed class GarnetResource(string name, string workingDirectory)
    : ExecutableResource(name, "dotnet", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    public EndpointReference Endpoint => _endpoint ??= new EndpointReference(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)}");
}
