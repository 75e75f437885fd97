using System.ComponentModel.DataAnnotations;

namespace Sciot.Server.Sessions;

/// <summary>
/// <c>Sciot:Server:Sessions</c>: how long a client's session stays in memory without a request. An evicted session
/// lives on in SQLite and comes back (model, statistics, counts) with the client's next request.
/// </summary>
public sealed class SessionMemoryOptions
{
    public const string Section = "Sciot:Server:Sessions";

    /// <summary>Seconds without any request after which a session leaves memory; 0 = sessions stay in memory.</summary>
    [Range(0, 365 * 86_400)]
    public double IdleEvictionSeconds { get; set; } = 600;

    /// <summary>How often the sweeper looks for idle sessions.</summary>
    [Range(0.1, 86_400)]
    public double SweepIntervalSeconds { get; set; } = 30;

    public TimeSpan? IdleEviction => IdleEvictionSeconds > 0 ? TimeSpan.FromSeconds(IdleEvictionSeconds) : null;
}
