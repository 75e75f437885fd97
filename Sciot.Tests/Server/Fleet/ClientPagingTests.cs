using System.Net;
using Sciot.Tests.TestSupport;

namespace Sciot.Tests.Server.Fleet;

/// <summary>/api/clients in pages, in ID order, the next page named in the Link header.</summary>
public sealed class ClientPagingTests
{
    [Fact]
    public async Task Pages_follow_each_other_in_id_order_until_the_last()
    {
        await using var factory = new SciotServerFactory();
        using var http = factory.CreateClient();
        foreach (var id in new[] { "page_c", "page_a", "page_e", "page_b", "page_d" })
        {
            await http.RegisterAsync(id);
        }

        var seen = new List<string>();
        var links = new List<string?>();
        for (var next = "/api/clients?limit=2"; next is not null;)
        {
            using var response = await http.GetAsync(next);
            var page = await ServerHttp.OkJsonAsync(response);
            seen.AddRange(page.EnumerateArray().Select(c => c.GetProperty("client_id").GetString()!));
            next = response.Headers.TryGetValues("Link", out var link) ? link.Single().Split(';')[0].Trim('<', '>') : null;
            links.Add(next);
        }

        Assert.Equal(["page_a", "page_b", "page_c", "page_d", "page_e"], seen);
        Assert.Equal(["/api/clients?limit=2&after=page_b", "/api/clients?limit=2&after=page_d", null], links);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=10001")]
    [InlineData("limit=many")]
    public async Task A_bad_page_size_is_a_problem(string query)
    {
        await using var factory = new SciotServerFactory();
        using var http = factory.CreateClient();

        using var response = await http.GetAsync($"/api/clients?{query}");

        await ServerHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
