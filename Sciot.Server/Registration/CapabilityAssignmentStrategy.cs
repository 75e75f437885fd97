using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Sciot.Server.Registration;

/// <summary>
/// Rules on capabilities and client-ID patterns, first match wins; no match falls back to the default model.
/// A pattern that takes longer than <see cref="MatchTimeout"/> on an ID counts as no match for that rule (and is logged), so a
/// pathological ID cannot stall or fail a registration.
/// </summary>
public sealed class CapabilityAssignmentStrategy(IOptions<AssignmentOptions> options, DefaultAssignmentStrategy fallback,
    ILogger<CapabilityAssignmentStrategy> logger) : IModelAssignmentStrategy
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    public const string StrategyName = "capability";

    public string Name => StrategyName;

    public ModelAssignment Assign(AssignmentContext context)
    {
        var caps = context.Capabilities;
        for (var i = 0; i < options.Value.Rules.Count; i++)
        {
            var rule = options.Value.Rules[i];
            var matches = (rule.ClientIdPattern is null || IdMatches(i, rule.ClientIdPattern, context.ClientId))
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

    private bool IdMatches(int rule, string pattern, string clientId)
    {
        try
        {
            return Regex.IsMatch(clientId, pattern, RegexOptions.None, MatchTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            logger.LogWarning("Capability rule {Rule}: pattern {Pattern} timed out on client ID {ClientId}; the rule does not apply", rule, pattern, clientId);
            return false;
        }
    }
}
