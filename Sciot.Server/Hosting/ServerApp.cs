namespace Sciot.Server.Hosting;

/// <summary>
/// Names the server assembly for WebApplicationFactory. <c>Program</c> cannot serve: the AppHost's generated
/// <c>Program</c> is visible to the same test project, so the name is ambiguous there.
/// </summary>
public sealed class ServerApp;
