using System.Net;
using Sciot.Core.Tensors;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Inference;

[Collection(ServerCollection.Name)]
public sealed class ResultContractTests(ServerFixture server)
{
    private HttpClient Http => server.Client;
    private ScriptedDevice Device => server.Device;

    [Fact]
    public async Task NaN_in_a_tensor_is_422_naming_the_tensor()
    {
        var id = server.NewClientId("nan");
        await Http.RegisterAsync(id);
        var frame = Device.Frame(ScriptedDevice.Fomo, 4);
        var payload = Device.V2Payload(ScriptedDevice.Fomo, 20, frame);
        var poisoned = payload.Tensors.Select((t, i) => i == 1 ? t with { Data = Poison(t.Data) } : t).ToList();

        using var response = await Http.PostResultAsync(id, (payload with { Tensors = poisoned }).Encode());

        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(poisoned[1].Name, problem.Detail());
        Assert.Equal(0, (await Http.ClientAsync(id)).GetProperty("inference_count").GetInt64());
    }

    [Fact]
    public async Task Body_larger_than_any_payload_of_the_model_is_413()
    {
        var id = server.NewClientId("huge");
        await Http.RegisterAsync(id);

        using var response = await Http.PostResultAsync(id, new byte[1024 * 1024]);

        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most", problem.Detail());
    }

    [Fact]
    public async Task OpenApi_document_lists_the_json_endpoints()
    {
        var document = await Http.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/registration", "/api/offloading_layer", "/api/device_inference_result", "/api/models", "/api/clients" })
        {
            Assert.Contains($"\"{path}\"", document);
        }
    }

    private static float[] Poison(float[] data)
    {
        var copy = (float[])data.Clone();
        copy[copy.Length / 3] = float.NaN;
        return copy;
    }
}
