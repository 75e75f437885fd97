using System.Text.Json;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Cluster;

/// <summary>
/// A session grain's memory of acknowledged uploads outlives its silo: a result is acknowledged by one silo, the
/// silo is killed, and the device's retry of the same upload reaches a new silo on the same Garnet. It gets the
/// same reply and nothing is applied or stored a second time.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SessionFailoverTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("sciot-failover-").FullName;
    private readonly ScriptedDevice _device = new();

    [Fact]
    public async Task A_retry_after_the_silo_died_gets_the_stored_reply_and_is_not_applied_again()
    {
        using var garnet = await GarnetProcess.StartAsync(Path.Combine(_data, "garnet"), TestPorts.FreeBelowEphemeralRange());
        var settings = SiloSettings(garnet.ConnectionString, Guid.NewGuid().ToString("N"));
        var port = TestPorts.FreeBelowEphemeralRange();
        var frame = _device.Frame(ScriptedDevice.Fomo, 4);
        var upload = _device.V2(ScriptedDevice.Fomo, 20, frame, messageId: 7);
        string firstReply;
        using (var first = await ServerProcess.StartAsync(port, Path.Combine(_data, "first"), settings))
        {
            using var http = Http(first);
            Assert.Equal(ScriptedDevice.Fomo, (await http.RegisterAsync("cam-retry")).GetProperty("model_name").GetString());
            firstReply = StoredPart(await http.PostResultOkAsync("cam-retry", upload));
            first.Process.KillHard();
        }

        using var second = await ServerProcess.StartAsync(port, Path.Combine(_data, "second"), settings);
        using var again = Http(second);
        Assert.Equal(firstReply, StoredPart(await again.PostResultOkAsync("cam-retry", upload)));
        Assert.Equal(1, (await again.ClientAsync("cam-retry")).GetProperty("inference_count").GetInt64());
        var rows = InferenceRow.Parse(await again.GetStringAsync("/api/operator/inferences.csv?client_id=cam-retry"));
        Assert.Equal([(ScriptedDevice.Fomo, 20)], rows.Select(r => (r.ModelName, r.Layer)));

        // A new upload with the same message id but another body is a new result, applied on the new silo.
        await again.PostResultOkAsync("cam-retry", _device.V2(ScriptedDevice.Fomo, 30, frame, messageId: 7));
        Assert.Equal(2, (await again.ClientAsync("cam-retry")).GetProperty("inference_count").GetInt64());
    }

    /// <summary>The reply without <c>processing_seconds</c>, which times each request, the replayed one too.</summary>
    private static string StoredPart(JsonElement reply) =>
        JsonSerializer.Serialize(reply.EnumerateObject().Where(p => p.Name != "processing_seconds").ToDictionary(p => p.Name, p => p.Value));

    /// <summary>What Aspire's Orleans integration gives each replica, pointed at the test's Garnet, with free silo ports.</summary>
    private static Dictionary<string, string> SiloSettings(string garnet, string cluster) => new()
    {
        ["Orleans:ClusterId"] = cluster,
        ["Orleans:ServiceId"] = cluster,
        ["Orleans:Clustering:ProviderType"] = "Redis",
        ["Orleans:Clustering:ServiceKey"] = "garnet",
        ["Orleans:GrainStorage:sessions:ProviderType"] = "Redis",
        ["Orleans:GrainStorage:sessions:ServiceKey"] = "garnet",
        ["Orleans:Endpoints:SiloPort"] = TestPorts.FreeBelowEphemeralRange().ToString(),
        ["Orleans:Endpoints:GatewayPort"] = TestPorts.FreeBelowEphemeralRange().ToString(),
        ["ConnectionStrings:garnet"] = garnet,
    };

    private static HttpClient Http(ServerProcess server)
    {
        var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", SciotServerFactory.ApiKey);
        return http;
    }

    public void Dispose()
    {
        _device.Dispose();
        SciotServerFactory.DeleteFolder(_data);
    }
}
