using System.Buffers;
using System.Collections.Concurrent;

namespace Sciot.Server.Transport;

/// <summary>
/// A memory pool of equal, pinned blocks for Kestrel's transport (see <see cref="TransportOptions.ReceiveBlockBytes"/>).
/// The socket reads straight into a block, so pinned (pinned-object heap) blocks spare a pin per receive. At most
/// <see cref="TransportOptions.RetainedBlocks"/> free blocks are kept; the GC takes the rest.
/// </summary>
public sealed class ReceiveBlockPool(int blockBytes, int retainedBlocks) : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private long _created;
    private volatile bool _disposed;

    public override int MaxBufferSize => blockBytes;

    /// <summary>Blocks allocated since the pool was made (not counting reuses).</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>Free blocks held for reuse now.</summary>
    public int Retained => Volatile.Read(ref _freeCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, blockBytes);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Lease();
            return block;
        }
        Interlocked.Increment(ref _created);
        return new Block(this, blockBytes);
    }

    private void Return(Block block)
    {
        if (!_disposed && Interlocked.Increment(ref _freeCount) <= retainedBlocks)
        {
            _free.Enqueue(block);
            return;
        }
        if (!_disposed)
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
        Volatile.Write(ref _freeCount, 0);
    }

    private sealed class Block : IMemoryOwner<byte>
    {
        private readonly ReceiveBlockPool _pool;
        private readonly byte[] _array;
        private int _leased = 1;

        public Block(ReceiveBlockPool pool, int bytes)
        {
            _pool = pool;
            _array = GC.AllocateUninitializedArray<byte>(bytes, pinned: true);
        }

        public Memory<byte> Memory => _array;

        public void Lease() => Volatile.Write(ref _leased, 1);

        /// <summary>Returns the block once, however often it is disposed: a second return would hand it to two renters.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _leased, 0) == 1)
            {
                _pool.Return(this);
            }
        }
    }
}
