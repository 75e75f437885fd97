using System.Net;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

[Collection(ServerCollection.Name)]
public sealed class UnknownClientTests(ServerFixture server)
{
    public static TheoryData<string, string> DeviceEndpoints => new()
    {
        { "POST", "/api/device_input" },
        { "GET", "/api/offloading_layer" },
        { "POST", "/api/device_inference_result" },
    };

    [Theory]
    [MemberData(nameof(DeviceEndpoints))]
    public async Task Device_endpoint_answers_404_problem_naming_the_unknown_client(string method, string path)
    {
        const string id = "never_registered_42";
        using var request = new HttpRequestMessage(new HttpMethod(method), $"{path}?client_id={id}");
        if (method == "POST")
        {
            request.Content = ServerHttp.Binary(new byte[96 * 96 * 2]);
        }
        using var response = await server.Client.SendAsync(request);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains($"'{id}'", problem.Detail());
        Assert.Contains("/api/registration", problem.Detail());
    }

    [Fact]
    public async Task Client_lookup_answers_404_problem_naming_the_client()
    {
        using var response = await server.Client.GetAsync("/api/clients/nobody_here");
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("nobody_here", problem.Detail());
    }

    [Fact]
    public async Task Request_without_client_id_from_an_unknown_source_is_a_400_asking_for_it()
    {
        // The v1 payload's device id names nobody and the test host has no remote address: nothing to attribute it to.
        var payload = server.Device.V1(ScriptedDevice.Fomo, 58, server.Device.Frame(ScriptedDevice.Fomo, 1), "ghost");
        using var response = await server.Client.PostResultAsync(null, payload);
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("client_id", problem.Field());
        Assert.Contains("client_id", problem.Detail());
    }
}
