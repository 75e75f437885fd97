using System.Net;
using Sciot.Tests.Server.TestSupport;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Errors;

/// <summary>Whatever a client gets wrong, the answer is a 4xx ProblemDetails, never a 5xx or an empty body.</summary>
[Collection(ServerCollection.Name)]
public sealed class ErrorContractTests(ServerFixture server)
{
    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        using var response = await server.Client.GetAsync("/api/no_such_endpoint");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Wrong_method_is_a_405_problem()
    {
        using var response = await server.Client.GetAsync("/api/registration");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string> BadRegistrations => new()
    {
        { "capabilities of the wrong type", """{"client_id":"bad_caps","capabilities":{"ram_kb":"lots"}}""" },
        { "capabilities not an object", """{"client_id":"bad_caps","capabilities":7}""" },
        { "models not a list", """{"client_id":"bad_caps","capabilities":{"models":"fomo_96x96"}}""" },
        { "empty body", "" },
        { "array body", "[]" },
        { "ram out of int range", """{"client_id":"bad_caps","capabilities":{"ram_kb":99999999999}}""" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registration_bodies_are_400_problems(string what, string body)
    {
        using var response = await server.Client.PostAsync("/api/registration", ServerHttp.RawJson(body));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(problem.Detail()), what);
    }

    [Theory]
    [InlineData("SCT2")]
    [InlineData("SCT2\u0000\u0000\u0000\u0000")]
    [InlineData("SCT2\u0005\u0000\u0000\u0000{}")]
    [InlineData("x")]
    public async Task Garbage_result_bodies_are_400_problems(string body)
    {
        var id = server.NewClientId("garbage");
        await server.Client.RegisterAsync(id);
        using var response = await server.Client.PostResultAsync(id, System.Text.Encoding.Latin1.GetBytes(body));
        var problem = await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem.Field());
    }

    [Fact]
    public async Task Force_layer_with_a_body_of_the_wrong_type_is_a_400_problem()
    {
        var id = server.NewClientId("badforce");
        await server.Client.RegisterAsync(id);
        using var response = await server.Operator.PostAsync($"/api/operator/clients/{id}/force_layer", ServerHttp.RawJson("""{"layer":"seven"}"""));
        await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
