using System.ComponentModel.DataAnnotations;

namespace Sciot.Server.Registration;

/// <summary><c>Sciot:Assignment</c>: which strategy assigns models to new clients.</summary>
public sealed class AssignmentOptions
{
    public const string Section = "Sciot:Assignment";

    /// <summary><c>default</c>, <c>least-loaded</c>, <c>capability</c> or <c>preference</c>.</summary>
    [Required]
    public string Strategy { get; set; } = DefaultAssignmentStrategy.StrategyName;

    [Required]
    public string DefaultModel { get; set; } = "fomo_96x96";

    /// <summary>A client seen within this window counts as active for <c>least-loaded</c>.</summary>
    [Range(1, 86400 * 365)]
    public int ActiveWindowSeconds { get; set; } = 300;

    /// <summary>Rules for <c>capability</c>, first match wins.</summary>
    public List<CapabilityRule> Rules { get; set; } = [];
}

/// <summary>A rule of the capability strategy; every condition that is set must hold.</summary>
public sealed class CapabilityRule
{
    /// <summary>Regular expression on the client ID, e.g. <c>^mobile_</c>.</summary>
    public string? ClientIdPattern { get; set; }
    public string? DeviceClass { get; set; }
    public int? MaxRamKb { get; set; }
    public int? MinRamKb { get; set; }
    public int? MaxCpuMhz { get; set; }

    [Required]
    public string Model { get; set; } = "";
}
