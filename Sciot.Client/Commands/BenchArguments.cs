using System.Globalization;

namespace Sciot.Client.Commands;

/// <summary>Reads the bench commands' <c>--name value</c> arguments, so every command words a bad value the same way.</summary>
public static class BenchArguments
{
    /// <summary>The whole number after <c>args[i]</c>; advances <paramref name="i"/> past it.</summary>
    public static bool TryCount(IReadOnlyList<string> args, ref int i, int minimum, out int value, out string error, int maximum = int.MaxValue)
    {
        var name = args[i];
        value = 0;
        error = "";
        if (i + 1 >= args.Count)
        {
            error = $"{name} needs a number";
            return false;
        }
        var text = args[++i];
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < minimum || value > maximum)
        {
            var range = maximum == int.MaxValue ? $">= {minimum}" : $"in {minimum}..{maximum}";
            error = $"{name} must be a whole number {range}, got '{text}'";
            return false;
        }
        return true;
    }

    /// <summary>
    /// The text after <c>args[i]</c>; advances <paramref name="i"/> past it. A following option is not taken as the
    /// value, so <c>--model --quick</c> reports the missing name instead of benchmarking a model called "--quick".
    /// </summary>
    public static bool TryText(IReadOnlyList<string> args, ref int i, string what, out string value, out string error)
    {
        value = "";
        error = "";
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            error = $"{args[i]} needs {what}";
            return false;
        }
        value = args[++i];
        return true;
    }
}
