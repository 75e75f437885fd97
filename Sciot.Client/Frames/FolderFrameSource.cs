using Sciot.Core.Imaging;

namespace Sciot.Client.Frames;

/// <summary>PNG/JPEG files of a folder in name order, decoded and resized to the model input, round and round.</summary>
public sealed class FolderFrameSource(string folder) : IFrameSource
{
    private readonly IReadOnlyList<string> _files = ImageLoader.ListImages(folder) is { Count: > 0 } files
        ? files
        : throw new InvalidOperationException($"frame folder {folder} holds no .png/.jpg/.jpeg images");
    private int _next;

    public Frame Next(int width, int height)
    {
        var path = _files[_next++ % _files.Count];
        return new Frame(ImageLoader.LoadFile(path, width, height), null, Path.GetFileName(path));
    }
}
