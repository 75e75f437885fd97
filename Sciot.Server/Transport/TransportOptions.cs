using System.ComponentModel.DataAnnotations;

namespace Sciot.Server.Transport;

/// <summary><c>Sciot:Server:Transport</c>: the blocks Kestrel's socket transport receives request bodies into.</summary>
public sealed class TransportOptions
{
    public const string Section = "Sciot:Server:Transport";

    /// <summary>
    /// Size of one receive block. Kestrel's own pool has 4 KiB blocks, so a 130 KB result body took 32 receive calls
    /// and as many pipe hand-offs; a block near the size of a typical result takes it in one or a few.
    /// </summary>
    [Range(4096, 4 * 1024 * 1024)]
    public int ReceiveBlockBytes { get; set; } = 128 * 1024;

    /// <summary>
    /// Free blocks kept for reuse; blocks returned beyond it are left to the GC, so the pool never holds more than
    /// this many blocks (ReceiveBlockBytes each) that no request is using.
    /// </summary>
    [Range(0, 65_536)]
    public int RetainedBlocks { get; set; } = 256;
}
