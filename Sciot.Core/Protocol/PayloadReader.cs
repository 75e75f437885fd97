using System.Buffers.Binary;

namespace Sciot.Core.Protocol;

/// <summary>
/// Sequential little-endian reader whose every read names the wire field, so a short buffer is reported
/// against the field that ran out rather than as a generic index error.
/// </summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public PayloadReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
    }

    public readonly int Remaining => _buffer.Length - _position;

    public ReadOnlySpan<byte> ReadBytes(long count, string field)
    {
        if (count > Remaining)
        {
            throw new PayloadFormatException(field, $"declared {count} bytes but only {Remaining} remain");
        }
        var slice = _buffer.Slice(_position, (int)count);
        _position += (int)count;
        return slice;
    }

    public double ReadDouble(string field) => BinaryPrimitives.ReadDoubleLittleEndian(ReadFixed(sizeof(double), field));

    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32LittleEndian(ReadFixed(sizeof(int), field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(ReadFixed(sizeof(uint), field));

    public ReadOnlySpan<byte> ReadFixed(int count, string field)
    {
        if (count > Remaining)
        {
            throw new PayloadFormatException(field, $"needs {count} bytes but only {Remaining} remain");
        }
        return ReadBytes(count, field);
    }
}
