namespace Sciot.Tests.TestSupport;

/// <summary>
/// A test that needs a real browser. The one allowed skip: on a machine with no Chromium at all, with the package to
/// install in the reason (<c>.ci/run</c> installs it, so CI always runs these).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Find() is null)
        {
            Skip = $"no Chromium found ({string.Join(", ", Chromium.Candidates)}): install Debian's package 'chromium' (apt-get install -y chromium)";
        }
    }
}
