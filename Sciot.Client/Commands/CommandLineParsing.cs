using System.CommandLine;
using System.Globalization;

namespace Sciot.Client.Commands;

/// <summary>
/// How every command word treats its command line: System.CommandLine parses it; bad arguments print
/// <c>command: message</c> and exit 2, so scripts tell them from a failed run; <c>--help</c> prints and exits 0.
/// </summary>
public static class CommandLineParsing
{
    public const int BadArguments = 2;

    /// <returns>The parse to run the command from, or null (with <paramref name="exitCode"/>) when the command line
    /// was wrong or only asked for help.</returns>
    public static ParseResult? Parse(RootCommand command, string name, string[] args, TextWriter output, TextWriter error, out int exitCode)
    {
        var parsed = command.Parse(args);
        exitCode = 0;
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
            {
                error.WriteLine($"{name}: {e.Message}");
            }
            exitCode = BadArguments;
            return null;
        }
        if (parsed.Action is not null && parsed.Action != command.Action)
        {
            // --help, --version: built-in actions print and exit like any System.CommandLine tool.
            exitCode = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
            return null;
        }
        return parsed;
    }

    /// <summary>A whole-number option that refuses values outside <paramref name="minimum"/>..<paramref name="maximum"/>.</summary>
    public static Option<int?> Count(string name, string description, int minimum, int maximum = int.MaxValue)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            // A token that is no number at all is System.CommandLine's own error already; only the range is checked here.
            if (result.Tokens is [var token] && int.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                && (value < minimum || value > maximum))
            {
                var range = maximum == int.MaxValue ? $">= {minimum}" : $"in {minimum}..{maximum}";
                result.AddError($"{name} must be a whole number {range}, got {value}");
            }
        });
        return option;
    }

    /// <summary>
    /// An absolute http(s) URL option. System.CommandLine has no parser for <see cref="Uri"/> of its own (an
    /// <c>Option&lt;Uri&gt;</c> throws on any value), so the parse and its error message live here.
    /// </summary>
    public static Option<Uri?> Url(string name, string description, bool required = false) => new(name)
    {
        Description = description,
        Required = required,
        CustomParser = result =>
        {
            if (result.Tokens is not [var token])
            {
                return null;
            }
            if (Uri.TryCreate(token.Value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            {
                return url;
            }
            result.AddError($"{name} must be an http:// or https:// URL, got '{token.Value}'");
            return null;
        },
    };
}
