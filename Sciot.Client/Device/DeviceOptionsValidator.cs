using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Sciot.Client.Device;

/// <summary>
/// Validates <see cref="DeviceOptions"/> at start, nested sections included (data annotations alone stop at the top
/// level), and the delay distributions, so a typo in a setting stops the client with the setting named.
/// </summary>
public sealed class DeviceOptionsValidator : IValidateOptions<DeviceOptions>
{
    public ValidateOptionsResult Validate(string? name, DeviceOptions options)
    {
        var failures = new List<string>();
        Check(options, DeviceOptions.Section, failures);
        Check(options.Registration, $"{DeviceOptions.Section}:Registration", failures);
        Check(options.Emulation, $"{DeviceOptions.Section}:Emulation", failures);
        Check(options.Link, $"{DeviceOptions.Section}:Link", failures);
        Check(options.Quality, $"{DeviceOptions.Section}:Quality", failures);
        for (var i = 0; i < options.Link.Schedule.Count; i++)
        {
            Check(options.Link.Schedule[i], $"{DeviceOptions.Section}:Link:Schedule:{i}", failures);
        }
        foreach (var (delay, section) in new[] { (options.Emulation.ComputeDelay, "Emulation:ComputeDelay"), (options.Link.Latency, "Link:Latency") })
        {
            try
            {
                delay.Validate();
            }
            catch (InvalidOperationException e)
            {
                failures.Add($"{DeviceOptions.Section}:{section}: {e.Message}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object instance, string section, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{section}: {r.ErrorMessage}"));
        }
    }
}
