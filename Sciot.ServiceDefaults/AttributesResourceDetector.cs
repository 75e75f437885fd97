using OpenTelemetry.Resources;

namespace Microsoft.Extensions.Hosting;

/// <summary>Resource attributes known only once the service provider exists (e.g. a client ID drawn at random at start).</summary>
internal sealed class AttributesResourceDetector(IEnumerable<KeyValuePair<string, object>> attributes) : IResourceDetector
{
    public Resource Detect() => new(attributes);
}
