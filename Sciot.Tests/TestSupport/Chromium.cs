namespace Sciot.Tests.TestSupport;

/// <summary>Where the browser tests find Chromium: <c>SCIOT_CHROMIUM</c> if set, else Debian's package paths.</summary>
public static class Chromium
{
    public static IReadOnlyList<string> Candidates =>
        [.. new[] { Environment.GetEnvironmentVariable("SCIOT_CHROMIUM") }.OfType<string>(), "/usr/bin/chromium", "/usr/bin/chromium-browser"];

    public static string? Find() => Candidates.FirstOrDefault(File.Exists);
}
