using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Sciot.Core.Protocol;

/// <summary>float32 arrays as they travel on the wire: packed, little-endian, whatever the host order.</summary>
internal static class LittleEndianFloats
{
    /// <remarks>The caller has already checked that the byte count is a multiple of four.</remarks>
    public static float[] Read(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            // Wire order equals host order: one block copy instead of a per-element decode.
            bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * sizeof(float)));
        }
        return values;
    }

    public static void Write(ReadOnlySpan<float> values, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(destination);
            return;
        }
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * sizeof(float)), values[i]);
        }
    }
}
