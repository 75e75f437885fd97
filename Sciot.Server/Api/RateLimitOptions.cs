using System.ComponentModel.DataAnnotations;

namespace Sciot.Server.Api;

/// <summary>
/// <c>Sciot:Server:RateLimit</c>: requests one client may make to the device endpoints per fixed window. A device
/// cycle makes two or three requests, so the default (600 per 10 s) leaves a real device far below it while one
/// runaway device cannot take the server's cores from the others.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Sciot:Server:RateLimit";

    /// <summary>false = no limit (e.g. for <c>bench-server</c>, which drives one client as fast as the server answers).</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 1_000_000)]
    public int PermitsPerWindow { get; set; } = 600;

    [Range(0.001, 86_400)]
    public double WindowSeconds { get; set; } = 10;
}
