using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sciot.Server.Hosting;
using Sciot.Server.Inference;
using Sciot.Server.Rejections;
using Sciot.Server.Sessions;
using Sciot.Server.Storage;

namespace Sciot.Server.Api;

/// <summary>
/// Operator actions (also the Aspire dashboard's commands), acting on every client the session store holds. They
/// need <c>X-Api-Key</c> whenever <c>Sciot:Server:OperatorApiKey</c> is set; device endpoints stay open as the
/// reference firmware expects.
/// </summary>
public static class OperatorApi
{
    public const string ApiKeyHeader = "X-Api-Key";

    public sealed record AssignRequest(string? ModelName);

    public sealed record ForceLayerRequest(int? Layer);

    public sealed record RefreshReply(string Message, int Clients);

    public sealed record ModelChangeView(string ClientId, string From, string To);

    public sealed record RebalanceReply(string Message, IReadOnlyList<ModelChangeView> Changes);

    public sealed record OperatorReply(string Message);

    public sealed record AssignReply(string Message, string ClientId, string ModelName);

    public sealed record ForceLayerReply(string Message, string ClientId, int? Layer);

    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/operator").AddEndpointFilter(async (context, next) =>
        {
            var key = context.HttpContext.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.OperatorApiKey;
            if (!string.IsNullOrEmpty(key) && !KeyMatches(context.HttpContext.Request.Headers[ApiKeyHeader].ToString(), key))
            {
                throw new ApiProblemException(StatusCodes.Status401Unauthorized, "Operator key required", $"send the operator API key in the {ApiKeyHeader} header");
            }
            return await next(context);
        });
        group.MapPost("/refresh", Refresh);
        group.MapPost("/rebalance", Rebalance);
        group.MapPost("/reset_statistics", ResetStatistics);
        group.MapPost("/clients/{clientId}/model", Reassign);
        group.MapPost("/clients/{clientId}/force_layer", ForceLayer);
        group.MapGet("/inferences.csv", ExportInferences);
        return app;
    }

    private static async Task<Ok<RefreshReply>> Refresh(IClientSessions sessions) =>
        TypedResults.Ok(new RefreshReply("Local-inference refresh scheduled", await sessions.RefreshAllAsync("refresh requested by operator")));

    private static async Task<Ok<RebalanceReply>> Rebalance(IClientSessions sessions)
    {
        var changes = await sessions.RebalanceAsync();
        return TypedResults.Ok(new RebalanceReply($"Rebalanced with strategy {sessions.StrategyName}",
            changes.Select(c => new ModelChangeView(c.ClientId, c.From, c.To)).ToList()));
    }

    private static async Task<Ok<OperatorReply>> ResetStatistics(IClientSessions sessions)
    {
        await sessions.ResetStatisticsAsync("statistics reset by operator");
        return TypedResults.Ok(new OperatorReply("Statistics reset; every client will refresh its device times"));
    }

    private static async Task<Ok<AssignReply>> Reassign(string clientId, HttpContext context, IClientSessions sessions, ModelRuntime runtime)
    {
        var request = await RequestBody.ReadJsonAsync<AssignRequest>(context.Request, context.RequestAborted);
        _ = await sessions.FindAsync(clientId) ?? throw RequestRejectedException.UnknownClient(clientId);
        if (request.ModelName is null || !runtime.TryGet(request.ModelName, out _))
        {
            throw new RequestRejectedException(RejectionKind.Invalid, "Unknown model",
                $"model_name '{request.ModelName}' is not served; available: {string.Join(", ", runtime.Catalog.Names)}", "model_name");
        }
        await sessions.ReassignAsync(clientId, request.ModelName);
        return TypedResults.Ok(new AssignReply("Re-assigned", clientId, request.ModelName));
    }

    private static async Task<Ok<ForceLayerReply>> ForceLayer(string clientId, HttpContext context, IClientSessions sessions)
    {
        var request = await RequestBody.ReadJsonAsync<ForceLayerRequest>(context.Request, context.RequestAborted);
        await sessions.ForceLayerAsync(clientId, request.Layer);
        return TypedResults.Ok(new ForceLayerReply(request.Layer is null ? "Decision released" : "Decision forced", clientId, request.Layer));
    }

    /// <summary>
    /// Streamed from whichever store holds the records (one server's SQLite file, the cluster's shared log) with the
    /// filters applied. Filters are checked before the first byte is sent, so a bad one is still a 400 ProblemDetails.
    /// </summary>
    private static PushStreamHttpResult ExportInferences(HttpRequest request, IInferenceLog records)
    {
        var filter = InferenceQuery.Parse(request);
        return TypedResults.Stream(stream => records.WriteCsvAsync(filter, stream, request.HttpContext.RequestAborted), "text/csv");
    }

    private static bool KeyMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
