namespace Sciot.Core.Models;

/// <summary>A model file that is missing or unusable; <see cref="FilePath"/> names the file at fault.</summary>
public sealed class ModelLoadException(string filePath, string problem, Exception? inner = null)
    : Exception($"{filePath}: {problem}", inner)
{
    public string FilePath { get; } = filePath;
}
