namespace Sciot.Server.Sessions;

/// <summary>What a decision needs from the served model: the edge's per-layer seconds and the live bytes after each cut.</summary>
public sealed record ModelCosts(string ModelName, double[] EdgeSeconds, long[] LiveBytesAfter)
{
    public int LayerCount => EdgeSeconds.Length;
}
