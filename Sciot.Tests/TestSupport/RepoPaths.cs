namespace Sciot.Tests.TestSupport;

/// <summary>Finds the checkout (the folder holding Sciot.sln) from the test binaries, wherever they were built.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    public static string ReferenceLayersCsv => Path.Combine(Models, "fomo_96x96", "reference_layers.csv");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sciot.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Sciot.sln not found above {AppContext.BaseDirectory}");
    }
}
