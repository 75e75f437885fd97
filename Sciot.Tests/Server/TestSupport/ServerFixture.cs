using Sciot.Server.Api;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.TestSupport;

/// <summary>
/// One server for the <see cref="ServerCollection"/>: started once, calibrated before the first test. Tests share it,
/// so each registers clients of its own (<see cref="NewClientId"/>) and asserts only on those.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private int _clients;

    public SciotServerFactory Factory { get; } = new();

    public ScriptedDevice Device { get; } = new();

    /// <summary>A device's view: no operator key.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The operator's view: <c>X-Api-Key</c> sent with every request.</summary>
    public HttpClient Operator { get; private set; } = null!;

    public string NewClientId(string prefix) => $"{prefix}_{Interlocked.Increment(ref _clients)}";

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        Operator = Factory.CreateClient();
        Operator.DefaultRequestHeaders.Add(OperatorApi.ApiKeyHeader, SciotServerFactory.ApiKey);
        // Decisions use the edge's per-layer times; tests start once they are measured.
        await Factory.WaitForCalibrationAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Operator.Dispose();
        await Factory.DisposeAsync();
        Device.Dispose();
    }
}
