using System.Buffers;

namespace Sciot.Server.Api;

/// <summary>
/// A request body in an array rented from the shared pool: result bodies are 20-500 KB, and a fresh array per request
/// (twice that with a decoded copy) kept the garbage collector busy under load. Disposing returns the array; nothing
/// may keep a view of <see cref="Memory"/> past that.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _array;

    public PooledBody(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => (_array ?? throw new ObjectDisposedException(nameof(PooledBody))).AsMemory(0, Length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
