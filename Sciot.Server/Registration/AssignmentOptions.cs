using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Sciot.Server.Registration;

/// <summary><c>Sciot:Assignment</c>: which strategy assigns models to new clients.</summary>
public sealed class AssignmentOptions : IValidatableObject
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

    /// <summary>A broken pattern must stop the server at start; found at registration, it would fail every request.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            var pattern = Rules[i].ClientIdPattern;
            string? problem = null;
            try
            {
                _ = pattern is null ? null : new Regex(pattern);
            }
            catch (ArgumentException e)
            {
                problem = e.Message;
            }
            if (problem is not null)
            {
                yield return new ValidationResult($"Rules[{i}].ClientIdPattern '{pattern}' is not a valid regular expression: {problem}", [nameof(Rules)]);
            }
            if (string.IsNullOrWhiteSpace(Rules[i].Model))
            {
                yield return new ValidationResult($"Rules[{i}].Model is required", [nameof(Rules)]);
            }
        }
    }
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
