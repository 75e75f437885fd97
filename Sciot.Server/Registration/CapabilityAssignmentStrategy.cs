using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Sciot.Server.Registration;

/// <summary>Rules on capabilities and client-ID patterns, first match wins; no match falls back to the default model.</summary>
public sealed class CapabilityAssignmentStrategy(IOptions<AssignmentOptions> options, DefaultAssignmentStrategy fallback) : IModelAssignmentStrategy
{
    public const string StrategyName = "capability";

    public string Name => StrategyName;

    public ModelAssignment Assign(AssignmentContext context)
    {
        var caps = context.Capabilities;
        for (var i = 0; i < options.Value.Rules.Count; i++)
        {
            var rule = options.Value.Rules[i];
            var matches = (rule.ClientIdPattern is null || Regex.IsMatch(context.ClientId, rule.ClientIdPattern, RegexOptions.None, TimeSpan.FromMilliseconds(50)))
                          && (rule.DeviceClass is null || string.Equals(rule.DeviceClass, caps?.DeviceClass, StringComparison.OrdinalIgnoreCase))
                          && (rule.MaxRamKb is null || caps?.RamKb <= rule.MaxRamKb)
                          && (rule.MinRamKb is null || caps?.RamKb >= rule.MinRamKb)
                          && (rule.MaxCpuMhz is null || caps?.CpuMhz <= rule.MaxCpuMhz);
            if (matches && context.Candidates.Contains(rule.Model))
            {
                return new ModelAssignment(rule.Model, $"capability rule {i}");
            }
        }
        var assignment = fallback.Assign(context);
        return assignment with { Reason = "no capability rule matched; " + assignment.Reason };
    }
}
