namespace Sciot.Client.Frames;

public interface IFrameSource
{
    Frame Next(int width, int height);
}
