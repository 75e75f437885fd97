using System.Runtime.InteropServices;
using Sciot.Server.Transport;

namespace Sciot.Tests.Server.Transport;

public sealed class ReceiveBlockPoolTests
{
    [Fact]
    public void Every_block_has_the_configured_size_and_a_larger_request_is_refused()
    {
        using var pool = new ReceiveBlockPool(65_536, retainedBlocks: 4);

        using var block = pool.Rent(4096);

        Assert.Equal(65_536, pool.MaxBufferSize);
        Assert.Equal(65_536, block.Memory.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(65_537));
    }

    [Fact]
    public void A_returned_block_is_handed_out_again_instead_of_a_new_one()
    {
        using var pool = new ReceiveBlockPool(4096, retainedBlocks: 4);
        var first = pool.Rent();
        var array = ArrayOf(first);
        first.Dispose();

        using var second = pool.Rent();

        Assert.Same(array, ArrayOf(second));
        Assert.Equal(1, pool.Created);
        Assert.Equal(0, pool.Retained);
    }

    [Fact]
    public void A_block_disposed_twice_goes_back_once_so_two_renters_never_share_it()
    {
        using var pool = new ReceiveBlockPool(4096, retainedBlocks: 4);
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();

        using var a = pool.Rent();
        using var b = pool.Rent();

        Assert.NotSame(ArrayOf(a), ArrayOf(b));
        Assert.Equal(2, pool.Created);
    }

    [Fact]
    public void At_most_the_retained_count_of_free_blocks_is_kept()
    {
        using var pool = new ReceiveBlockPool(4096, retainedBlocks: 2);
        var blocks = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        blocks.ForEach(b => b.Dispose());

        Assert.Equal(2, pool.Retained);
        var again = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        // Two came back from the pool, three are new.
        Assert.Equal(5 + 3, pool.Created);
        again.ForEach(b => b.Dispose());
    }

    [Fact]
    public void Blocks_are_pinned_so_the_socket_reads_into_them_without_a_pin_per_receive()
    {
        using var pool = new ReceiveBlockPool(4096, retainedBlocks: 1);
        using var block = pool.Rent();

        // Pinned-object-heap arrays report generation 2 at once and never move; an ordinary small array starts in 0.
        Assert.Equal(2, GC.GetGeneration(ArrayOf(block)));
    }

    private static byte[] ArrayOf(System.Buffers.IMemoryOwner<byte> block) =>
        MemoryMarshal.TryGetArray<byte>(block.Memory, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");
}
