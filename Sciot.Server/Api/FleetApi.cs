using Microsoft.AspNetCore.Http.HttpResults;
using Sciot.Server.Fleet;
using Sciot.Server.Rejections;
using Sciot.Server.Sessions;

namespace Sciot.Server.Api;

/// <summary>
/// The live fleet page: static files at <c>/</c> (wwwroot: index.html + fleet.js, reading /api/clients and
/// /api/statistics) and the PNGs it shows for a chosen client.
/// </summary>
public static class FleetApi
{
    public static WebApplication MapFleetPage(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        var group = app.MapGroup("/api/fleet/clients/{clientId}");
        group.MapGet("/frame.png", Frame);
        group.MapGet("/cost_curve.png", CostCurve);
        group.MapGet("/layers.png", Layers);
        return app;
    }

    private static async Task<FileContentHttpResult> Frame(string clientId, IClientSessions sessions, FleetCharts charts) =>
        Png(await charts.FrameAsync(await FindAsync(sessions, clientId)), clientId, "has uploaded no frame yet");

    private static async Task<FileContentHttpResult> CostCurve(string clientId, IClientSessions sessions, FleetCharts charts) =>
        Png(charts.CostCurve(await FindAsync(sessions, clientId)), clientId, "has not reported every layer's device time yet");

    private static async Task<FileContentHttpResult> Layers(string clientId, IClientSessions sessions, FleetCharts charts) =>
        Png(charts.Layers(await FindAsync(sessions, clientId)), clientId, "");

    private static async Task<ClientSessionSnapshot> FindAsync(IClientSessions sessions, string clientId) =>
        await sessions.FindAsync(clientId) ?? throw RequestRejectedException.UnknownClient(clientId);

    private static FileContentHttpResult Png(byte[]? png, string clientId, string missing) =>
        png is null
            ? throw new ApiProblemException(StatusCodes.Status404NotFound, "Nothing to draw yet", $"client '{clientId}' {missing}")
            : TypedResults.File(png, "image/png");
}
