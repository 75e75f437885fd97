using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Scaling clients from the dashboard. Aspire fixes a replica count when the AppHost starts, so the nearest real thing
/// is a pool of spare client resources created with <c>WithExplicitStart()</c>: each has its own start/stop buttons,
/// and two commands on the server start the next stopped spare or stop the last running one.
/// </summary>
internal static class ClientScaling
{
    public const string AddCommand = "add-client";
    public const string RemoveCommand = "remove-client";

    public static string SpareName(int index) => $"client-spare-{index}";

    public static IResourceBuilder<T> WithClientScaling<T>(this IResourceBuilder<T> server, IReadOnlyList<IResourceBuilder<ProjectResource>> spares)
        where T : IResource
    {
        if (spares.Count == 0)
        {
            return server;
        }
        server.WithCommand(AddCommand, "Add client", context => ChangeAsync(context, spares, start: true), new CommandOptions
        {
            Description = $"Start the next stopped spare client (pool of {spares.Count}: client-spare-1..{spares.Count})",
            IconName = "AddCircle",
        });
        server.WithCommand(RemoveCommand, "Remove client", context => ChangeAsync(context, spares, start: false), new CommandOptions
        {
            Description = "Stop the most recently started spare client",
            IconName = "SubtractCircle",
        });
        return server;
    }

    private static async Task<ExecuteCommandResult> ChangeAsync(ExecuteCommandContext context, IReadOnlyList<IResourceBuilder<ProjectResource>> spares, bool start)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        var running = spares.Select(s => s.Resource).Where(r => IsRunning(notifications, r)).ToList();
        var target = start
            ? spares.Select(s => s.Resource).FirstOrDefault(r => !running.Contains(r))
            : running.LastOrDefault();
        if (target is null)
        {
            return CommandResults.Failure(start
                ? $"All {spares.Count} spare clients are running; start the AppHost with a larger spare-clients to add more"
                : "No spare client is running (the replicas started with the AppHost stay)");
        }
        var commands = context.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(target, start ? KnownResourceCommands.StartCommand : KnownResourceCommands.StopCommand, context.CancellationToken);
        var count = running.Count + (start ? 1 : -1);
        return result.Success
            ? CommandResults.Success($"{(start ? "Started" : "Stopped")} {target.Name}: {count} of {spares.Count} spare clients running")
            : result;
    }

    /// <summary>Running, or on its way there: a second click while a spare starts must pick the next one.</summary>
    private static bool IsRunning(ResourceNotificationService notifications, IResource spare) =>
        notifications.TryGetCurrentState(spare.Name, out var state)
        && state.Snapshot.State?.Text is { } text
        && (text == KnownResourceStates.Running || text == KnownResourceStates.Starting || text == KnownResourceStates.Waiting);
}
