using Microsoft.AspNetCore.Http.HttpResults;
using Sciot.Server.Rejections;
using Sciot.Server.Sessions;

namespace Sciot.Server.Api;

/// <summary>What the server knows of each client: model, current split, device-time averages, bandwidth, activity.</summary>
public static class ClientsApi
{
    public const int DefaultPageSize = 1000;
    public const int MaxPageSize = 10_000;

    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/clients", ListClients);
        app.MapGet("/api/clients/{clientId}", GetClient);
        return app;
    }

    /// <summary>
    /// One page of clients in ID order: <c>limit</c> (1..10000, default 1000) after the ID <c>after</c>. When more
    /// follow, the <c>Link</c> header names the next page (RFC 8288, <c>rel="next"</c>).
    /// </summary>
    private static async Task<Ok<List<ClientView>>> ListClients(HttpContext context, IClientSessions sessions, int? limit, string? after)
    {
        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            throw new RequestRejectedException(RejectionKind.Invalid, "Page size out of range", $"limit must be in 1..{MaxPageSize}", "limit");
        }
        var page = (await sessions.ListAsync())
            .Where(c => after is null || string.CompareOrdinal(c.ClientId, after) > 0)
            .Take(size + 1)
            .Select(ClientView.Of)
            .ToList();
        if (page.Count > size)
        {
            page.RemoveAt(size);
            context.Response.Headers.Link = $"</api/clients?limit={size}&after={Uri.EscapeDataString(page[^1].ClientId)}>; rel=\"next\"";
        }
        return TypedResults.Ok(page);
    }

    private static async Task<Ok<ClientView>> GetClient(string clientId, IClientSessions sessions) =>
        TypedResults.Ok(ClientView.Of(await sessions.FindAsync(clientId) ?? throw RequestRejectedException.UnknownClient(clientId)));
}
