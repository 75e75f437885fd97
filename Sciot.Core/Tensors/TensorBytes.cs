using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Sciot.Core.Tensors;

/// <summary>
/// A float32 tensor left where it arrived: packed little-endian bytes inside a larger buffer (a request body), with
/// its graph name and shape. The server runs the tail on these bytes directly instead of decoding them into a
/// <see cref="NamedTensor"/> first; the buffer's owner keeps it alive (and unchanged) for as long as the view is used.
/// </summary>
public sealed record TensorBytes(string Name, int[] Shape, ReadOnlyMemory<byte> Bytes)
{
    public int ElementCount => Bytes.Length / sizeof(float);

    public long ByteCount => Bytes.Length;

    /// <summary>The values as host floats (a copy): for the few places that need an array of their own.</summary>
    public NamedTensor ToNamedTensor()
    {
        var values = new float[ElementCount];
        CopyTo(values);
        return new NamedTensor(Name, Shape, values);
    }

    public void CopyTo(Span<float> destination)
    {
        var bytes = Bytes.Span;
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(destination));
            return;
        }
        for (var i = 0; i < ElementCount; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
        }
    }

    /// <summary>No NaN or infinity: a float is one of them exactly when its exponent bits are all set (either byte order of the test is the same bits).</summary>
    public bool AllFinite()
    {
        const uint exponent = 0x7F80_0000;
        var bytes = Bytes.Span;
        var words = MemoryMarshal.Cast<byte, uint>(bytes[..(ElementCount * sizeof(float))]);
        if (!BitConverter.IsLittleEndian)
        {
            // The wire is little-endian; on a big-endian host the same mask applies to the byte-swapped word.
            foreach (var w in words)
            {
                if ((BinaryPrimitives.ReverseEndianness(w) & exponent) == exponent)
                {
                    return false;
                }
            }
            return true;
        }
        var i = 0;
        if (Vector.IsHardwareAccelerated && words.Length >= Vector<uint>.Count)
        {
            var mask = new Vector<uint>(exponent);
            var vectors = MemoryMarshal.Cast<uint, Vector<uint>>(words);
            foreach (var v in vectors)
            {
                if (Vector.EqualsAny(v & mask, mask))
                {
                    return false;
                }
            }
            i = vectors.Length * Vector<uint>.Count;
        }
        for (; i < words.Length; i++)
        {
            if ((words[i] & exponent) == exponent)
            {
                return false;
            }
        }
        return true;
    }
}
