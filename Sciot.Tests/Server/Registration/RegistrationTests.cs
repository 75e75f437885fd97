using System.Net;
using System.Text.Json;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Registration;

[Collection(ServerCollection.Name)]
public sealed class RegistrationTests(ServerFixture server)
{
    private HttpClient Http => server.Client;

    [Fact]
    public async Task Client_id_registration_returns_the_default_model_and_its_version()
    {
        var id = server.NewClientId("dev_a");
        var reply = await Http.RegisterAsync(id);

        var manifest = server.Device.Package(ScriptedDevice.Fomo).Manifest;
        Assert.Equal("Success", reply.GetProperty("message").GetString());
        Assert.Equal(id, reply.GetProperty("client_id").GetString());
        Assert.Equal("fomo_96x96", reply.GetProperty("model_name").GetString());
        Assert.Equal(manifest.Version, reply.GetProperty("model_version").GetString());
        Assert.Equal(58, reply.GetProperty("last_offloading_layer").GetInt32());
        Assert.Equal(59, reply.GetProperty("layer_count").GetInt32());
        Assert.Equal("/api/models/fomo_96x96/onnx", reply.GetProperty("model_url").GetString());
    }

    [Fact]
    public async Task Literal_dev_a_body_from_the_issue_is_accepted()
    {
        using var response = await Http.PostAsync("/api/registration", ServerHttp.RawJson("""{"client_id":"dev_a"}"""));
        var reply = await ServerHttp.OkJsonAsync(response);
        Assert.Equal("dev_a", reply.GetProperty("client_id").GetString());
        Assert.Equal("fomo_96x96", reply.GetProperty("model_name").GetString());
    }

    [Fact]
    public async Task Device_id_of_the_reference_firmware_is_accepted_as_client_id()
    {
        using var response = await Http.PostAsync("/api/registration", ServerHttp.RawJson("""{"device_id":"device_01"}"""));
        var reply = await ServerHttp.OkJsonAsync(response);
        Assert.Equal("Success", reply.GetProperty("message").GetString());
        Assert.Equal("device_01", reply.GetProperty("client_id").GetString());

        var decision = await Http.DecisionAsync("device_01");
        Assert.Equal("fomo_96x96", decision.Model);
    }

    [Fact]
    public async Task Null_client_id_gets_a_generated_eight_character_id()
    {
        using var first = await Http.PostAsync("/api/registration", ServerHttp.RawJson("""{"client_id": null}"""));
        using var second = await Http.PostAsync("/api/registration", ServerHttp.RawJson("{}"));
        var a = (await ServerHttp.OkJsonAsync(first)).GetProperty("client_id").GetString()!;
        var b = (await ServerHttp.OkJsonAsync(second)).GetProperty("client_id").GetString()!;

        Assert.Equal(8, a.Length);
        Assert.Equal(8, b.Length);
        Assert.NotEqual(a, b);
        // The generated id is a real registration: the device can use it right away.
        Assert.Equal(-1, (await Http.DecisionAsync(a)).Layer);
    }

    [Fact]
    public async Task Too_long_client_id_is_a_400_problem_that_says_why()
    {
        var id = new string('x', 65);
        using var response = await Http.PostAsync("/api/registration", ServerHttp.Json(new { client_id = id }));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("65", problem.Detail());
        Assert.Contains("64", problem.Detail());
        Assert.Equal("client_id", problem.Field());

        using var lookup = await Http.GetAsync($"/api/clients/{id}");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Sixty_four_characters_are_still_accepted()
    {
        var id = new string('y', 64);
        var reply = await Http.RegisterAsync(id);
        Assert.Equal(id, reply.GetProperty("client_id").GetString());
    }

    [Theory]
    [InlineData("{\"client_id\": \"abc\"")]
    [InlineData("not json at all")]
    [InlineData("{\"client_id\": 42}")]
    [InlineData("null")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        using var response = await Http.PostAsync("/api/registration", ServerHttp.RawJson(body));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("JSON", problem.Detail());
    }

    [Theory]
    [InlineData("   ")]
    [InlineData(" padded ")]
    [InlineData("tab\there")]
    public async Task Blank_padded_or_control_character_ids_are_rejected(string id)
    {
        using var response = await Http.PostAsync("/api/registration", ServerHttp.Json(new { client_id = id }));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("client_id", problem.Field());
    }

    [Fact]
    public async Task Registering_twice_keeps_the_client_and_its_model()
    {
        var id = server.NewClientId("twice");
        var first = await Http.RegisterAsync(id);
        var second = await Http.RegisterAsync(id, new { ram_kb = 512, cpu_mhz = 240, device_class = "esp32s3" });

        Assert.Equal(first.GetProperty("model_name").GetString(), second.GetProperty("model_name").GetString());
        Assert.StartsWith("sticky", second.GetProperty("assignment_reason").GetString());
        var described = await Http.ClientAsync(id);
        Assert.Equal(512, described.GetProperty("capabilities").GetProperty("ram_kb").GetInt32());
        Assert.Equal("esp32s3", described.GetProperty("capabilities").GetProperty("device_class").GetString());
        Assert.Single(await ListClientsAsync(), c => c.GetProperty("client_id").GetString() == id);
    }

    private async Task<List<JsonElement>> ListClientsAsync()
    {
        using var response = await Http.GetAsync("/api/clients");
        return (await ServerHttp.OkJsonAsync(response)).EnumerateArray().ToList();
    }
}
