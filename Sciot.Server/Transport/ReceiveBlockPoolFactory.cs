using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Sciot.Server.Telemetry;

namespace Sciot.Server.Transport;

/// <summary>
/// Kestrel asks this factory (it resolves <see cref="IMemoryPoolFactory{T}"/> from the container) for the pool its
/// socket transport reads and writes through; every pool it makes has the configured block size, and the blocks they
/// hold are reported as metrics.
/// </summary>
public sealed class ReceiveBlockPoolFactory : IMemoryPoolFactory<byte>
{
    private readonly TransportOptions _options;
    private readonly ILogger<ReceiveBlockPoolFactory> _logger;
    private readonly ConcurrentQueue<ReceiveBlockPool> _pools = new();

    public ReceiveBlockPoolFactory(IOptions<TransportOptions> options, ServerTelemetry telemetry, ILogger<ReceiveBlockPoolFactory> logger)
    {
        _options = options.Value;
        _logger = logger;
        telemetry.ObserveTransportBlocks(() => _pools.Sum(p => p.Created), () => _pools.Sum(p => p.Retained));
    }

    /// <summary>The pools made so far (Kestrel makes one per transport).</summary>
    public IReadOnlyCollection<ReceiveBlockPool> Pools => _pools;

    public MemoryPool<byte> Create(MemoryPoolOptions? poolOptions = null)
    {
        _logger.LogInformation("Transport pool for {Owner}: {BlockKiB} KiB blocks, up to {Retained} kept free",
            poolOptions?.Owner ?? "(unnamed)", _options.ReceiveBlockBytes / 1024, _options.RetainedBlocks);
        var pool = new ReceiveBlockPool(_options.ReceiveBlockBytes, _options.RetainedBlocks);
        _pools.Enqueue(pool);
        return pool;
    }
}
